// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Prints results as JSON, YAML or an aligned table (kubectl's look: upper-case headers). */
final class Render {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private Render() {}

  /** {@code value} as JSON or YAML; false for the table format (the caller prints a table). */
  static boolean structured(PrintWriter out, ClusterOptions.Format format, Object value) {
    try {
      switch (format) {
        case json -> out.println(JSON.writeValueAsString(value));
        case yaml -> out.print(YAML.writeValueAsString(value));
        default -> {
          return false;
        }
      }
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
    return true;
  }

  /** A table: rows of cells, the first row the header; columns two spaces apart. */
  static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
      rows.add(header);
    }

    Table row(Object... cells) {
      String[] r = new String[cells.length];
      for (int i = 0; i < cells.length; i++) {
        r[i] = cells[i] == null || cells[i].toString().isEmpty() ? "-" : cells[i].toString();
      }
      rows.add(r);
      return this;
    }

    void print(PrintWriter out) {
      int n = rows.get(0).length;
      int[] width = new int[n];
      for (String[] r : rows) {
        for (int i = 0; i < n; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
          line.append(r[i]);
          if (i < n - 1) {
            line.append(" ".repeat(width[i] - r[i].length() + 2));
          }
        }
        out.println(line.toString().stripTrailing());
      }
      out.flush();
    }
  }
}
