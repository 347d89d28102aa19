// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import io.spiderpool.core.error.InvalidInputException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Spiderpool's environment writes them: a plain integer is seconds (its
 * {@code SPIDERPOOL_LEADER_DURATION=15}), otherwise Go's {@code time.ParseDuration} units
 * ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h30m}). Negative values are refused.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /** Parses {@code text}; {@code where} names the value (an option or variable) in the error. */
  public static Duration parse(String text, String where) {
    String t = text == null ? "" : text.trim();
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (!t.isEmpty() && m.find() && m.start() == at) {
      total = total.plus(unit(Double.parseDouble(m.group(1)), m.group(2)));
      at = m.end();
    }
    if (t.isEmpty() || at != t.length()) {
      throw new InvalidInputException(where + "=" + text
          + " is not a duration: write seconds (15) or a Go duration (15s, 500ms, 2m)");
    }
    return total;
  }

  private static Duration unit(double amount, String unit) {
    double nanos = switch (unit) {
      case "ns" -> amount;
      case "us", "µs" -> amount * 1e3;
      case "ms" -> amount * 1e6;
      case "s" -> amount * 1e9;
      case "m" -> amount * 60e9;
      default -> amount * 3600e9;
    };
    return Duration.ofNanos(Math.round(nanos));
  }
}
