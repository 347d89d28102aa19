// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Golden files under src/test/resources/golden: compared as JSON trees, so formatting and key order
 * do not matter but every field and value does. {@code -Dspiderpool.golden.update=true} rewrites a
 * file from the actual output (then review the diff before committing).
 */
final class Golden {
  private static final Path DIR = Path.of("src/test/resources/golden");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Golden() {}

  static void assertJson(String file, String actual) {
    Path path = DIR.resolve(file);
    try {
      JsonNode got = JSON.readTree(actual);
      if (Boolean.getBoolean("spiderpool.golden.update")) {
        Files.createDirectories(DIR);
        Files.writeString(
            path, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(got) + "\n");
      }
      assertThat(Files.exists(path))
          .as(path + " missing: run once with -Dspiderpool.golden.update=true and review it")
          .isTrue();
      JsonNode want = JSON.readTree(Files.readString(path));
      assertThat(got).as("output against " + path).isEqualTo(want);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code text} with every key of {@code replacements} replaced by its value. */
  static String replace(String text, Map<String, String> replacements) {
    String out = text;
    for (Map.Entry<String, String> e : replacements.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The cells of a table line: columns are two or more spaces apart. */
  static List<String> cells(String line) {
    return Arrays.asList(line.trim().split(" {2,}"));
  }
}
