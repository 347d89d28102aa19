// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A label selector written as kubectl's {@code -l} text, for settings given in one environment
 * variable: comma-separated requirements {@code key}, {@code !key}, {@code key=value}, {@code
 * key==value}, {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)}. The empty text
 * selects everything.
 */
public final class SelectorText {
  private SelectorText() {}

  /** Parses {@code text}; {@code where} names the setting in errors. */
  public static LabelSelector parse(String text, String where) {
    Map<String, String> labels = new LinkedHashMap<>();
    List<LabelRequirement> exprs = new ArrayList<>();
    try {
      for (String part : split(text == null ? "" : text, where)) {
        String p = part.trim();
        if (p.isEmpty()) {
          throw new InvalidInputException("empty requirement");
        }
        String lower = p.toLowerCase(Locale.ROOT);
        int in = lower.indexOf(" in ");
        int notin = lower.indexOf(" notin ");
        if (notin > 0) {
          exprs.add(
              LabelRequirement.of(
                  p.substring(0, notin).trim(), "NotIn", values(p.substring(notin + 7))));
        } else if (in > 0) {
          exprs.add(
              LabelRequirement.of(p.substring(0, in).trim(), "In", values(p.substring(in + 4))));
        } else if (p.contains("!=")) {
          String[] kv = p.split("!=", 2);
          exprs.add(LabelRequirement.of(kv[0].trim(), "NotIn", List.of(kv[1].trim())));
        } else if (p.contains("=")) {
          String[] kv = p.split("==?", 2);
          labels.put(kv[0].trim(), kv[1].trim());
        } else if (p.startsWith("!")) {
          exprs.add(LabelRequirement.of(p.substring(1).trim(), "DoesNotExist", List.of()));
        } else {
          exprs.add(LabelRequirement.of(p, "Exists", List.of()));
        }
      }
      return LabelSelector.of(labels, exprs);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(
          where
              + "="
              + text
              + " is not a label selector ("
              + e.getMessage()
              + "): write e.g. node-role.kubernetes.io/control-plane or zone=a,!spiderpool.io/no-controller");
    }
  }

  private static List<String> split(String text, String where) {
    List<String> parts = new ArrayList<>();
    if (text.isBlank()) {
      return parts;
    }
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static List<String> values(String list) {
    String t = list.trim();
    if (!t.startsWith("(") || !t.endsWith(")")) {
      throw new InvalidInputException("values of in/notin go in parentheses: (a,b)");
    }
    String inner = t.substring(1, t.length() - 1).trim();
    if (inner.isEmpty()) {
      throw new InvalidInputException("in/notin needs at least one value: (a) or (a,b)");
    }
    return Arrays.stream(inner.split(",")).map(String::trim).toList();
  }
}
