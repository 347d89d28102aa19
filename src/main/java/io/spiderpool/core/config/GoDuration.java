// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Spiderpool's environment carries them: a plain number of seconds ({@code 600}, the
 * form its chart writes) or Go's {@code time.ParseDuration} syntax ({@code 5s}, {@code 10m}, {@code
 * 1h30m}, {@code 1.5s}, {@code 300ms}). Spiderpool's leader-election variables use the first form
 * ({@code SPIDERPOOL_LEADER_DURATION=15}). Settings are read through {@code SettingsReader}, which
 * words the errors.
 */
public final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS =
      Map.of(
          "ns",
          1L,
          "us",
          1_000L,
          "µs",
          1_000L,
          "ms",
          1_000_000L,
          "s",
          1_000_000_000L,
          "m",
          60_000_000_000L,
          "h",
          3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} saying which forms are accepted.
   */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(s));
    }
    boolean negative = s.startsWith("-");
    String body = negative || s.startsWith("+") ? s.substring(1) : s;
    if (body.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(body);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < body.length() && m.find(at) && m.start() == at) {
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
      at = m.end();
    }
    if (body.isEmpty() || at != body.length()) {
      throw new IllegalArgumentException(
          "Use seconds (600) or a Go duration such as 5s, 10m, 1h30m");
    }
    Duration d = Duration.ofNanos(nanos.longValueExact());
    return negative ? d.negated() : d;
  }
}
