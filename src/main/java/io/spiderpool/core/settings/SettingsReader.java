// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.settings;

import io.spiderpool.core.annotation.GoBool;
import io.spiderpool.core.config.GoDuration;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the settings a process is started with the way every one of ours is told them: its
 * command-line option, else the environment variable Spiderpool reads (so upstream manifests work
 * unchanged), else Spiderpool's default. A blank variable counts as unset, because manifests write
 * {@code value: ""} to mean nothing; an option given empty is a typing mistake and is reported.
 *
 * <p>A bad value is noted, not thrown: the read hands back the default so that reading goes on, and
 * {@link #check} then reports every problem of the start in one {@link InvalidInputException}. Each
 * problem has one of three shapes, naming the option or variable exactly as the operator wrote it:
 * {@code SOURCE=VALUE is not WHAT: write VALID}, {@code OPTION is empty: write VALID}, {@code WHAT
 * is required: pass OPTION or set VARIABLE}.
 */
public final class SettingsReader {
  static final String PORT = "a number from 1 to 65535 (0 picks a free one)";
  static final String ADDRESS = "one of this host's addresses, 127.0.0.1, or 0.0.0.0 for all";
  static final String GO_DURATIONS = " or a Go duration (15s, 500ms, 2m)";

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  public SettingsReader(Map<String, String> env) {
    this.env = env;
  }

  /**
   * Where one setting comes from.
   *
   * @param option the option's name ({@code --health-port}), null when the setting has none
   * @param optionValue the option's value as typed, null when it was not given
   * @param variable the environment variable's name, null when the setting has none
   */
  public record Setting(String option, String optionValue, String variable) {}

  /** A setting that only an environment variable carries. */
  public static Setting variable(String name) {
    return new Setting(null, null, name);
  }

  /** A setting given by an option, else by {@code variable} (null: the option alone). */
  public static Setting option(String name, String value, String variable) {
    return new Setting(name, value, variable);
  }

  /** Reads with a fresh reader and checks it: the value, or every problem in one exception. */
  public static <T> T resolve(Map<String, String> env, Function<SettingsReader, T> read) {
    SettingsReader r = new SettingsReader(env);
    T value = read.apply(r);
    r.check();
    return value;
  }

  /** The text as given, trimmed; {@code valid} says what to write should the option be empty. */
  public String text(Setting s, String valid, String dflt) {
    return read(s, null, valid, t -> t, dflt);
  }

  /** As {@link #text}, but a setting given nowhere is a problem. */
  public String required(Setting s, String what, String valid, String hint) {
    int before = problems.size();
    String text = text(s, valid, null);
    if (text == null && problems.size() == before) {
      problems.add(what + " is required: pass " + s.option + " or set " + s.variable + hint);
    }
    return text;
  }

  public Path path(Setting s, String valid, Path dflt) {
    return read(s, null, valid, Path::of, dflt);
  }

  /** A TCP port; 0 lets the system pick one (tests). */
  public int port(Setting s, int dflt) {
    return read(s, "a TCP port", PORT, t -> between(t, 0, 65535), dflt);
  }

  public int wholeNumber(Setting s, int min, int dflt) {
    return read(
        s,
        "a whole number >= " + min,
        "e.g. " + dflt + " (the default)",
        t -> between(t, min, Integer.MAX_VALUE),
        dflt);
  }

  /** Go's {@code strconv.ParseBool} syntax, as Spiderpool reads its switches. */
  public boolean bool(Setting s, boolean dflt) {
    return read(s, "a boolean", GoBool.SYNTAX, GoBool::tryParse, dflt);
  }

  /** A duration of zero or more, in seconds or Go's syntax ({@link GoDuration}). */
  public Duration duration(Setting s, Duration dflt) {
    return duration(s, dflt, false);
  }

  /** A duration longer than zero, in seconds or Go's syntax. */
  public Duration positiveDuration(Setting s, Duration dflt) {
    return duration(s, dflt, true);
  }

  private Duration duration(Setting s, Duration dflt, boolean positive) {
    String valid = "seconds (" + dflt.toSeconds() + ")" + GO_DURATIONS;
    Given g = given(s, valid);
    if (g == null) {
      return dflt;
    }
    Duration d = duration(g.text);
    if (d != null && !d.isNegative() && !(positive && d.isZero())) {
      return d;
    }
    return refuse(
        g, d == null ? "a duration" : positive ? "a duration > 0" : "a duration >= 0", valid, dflt);
  }

  /** An IP literal to listen on; {@code 0.0.0.0} or {@code ::} listen on every address. */
  public String address(Setting s, String dflt) {
    return read(
        s,
        "an IP address to listen on",
        ADDRESS,
        t -> IpAddress.tryParse(t) != null ? t : null,
        dflt);
  }

  /** One of {@code allowed} in any case, lower-cased; {@code what} names the kind of value. */
  public String oneOf(Setting s, String what, List<String> allowed, String dflt) {
    return read(
        s,
        what,
        "one of " + String.join(", ", allowed),
        t -> {
          String lower = t.toLowerCase(Locale.ROOT);
          return allowed.contains(lower) ? lower : null;
        },
        dflt);
  }

  /**
   * A value of a syntax owned elsewhere: {@code parse} gets the text and the source's name and
   * throws an {@link InvalidInputException} worded {@code SOURCE=VALUE is not WHAT: write VALID}.
   */
  public <T> T parsed(Setting s, String valid, BiFunction<String, String, T> parse, T dflt) {
    Given g = given(s, valid);
    if (g == null) {
      return dflt;
    }
    try {
      return parse.apply(g.text, g.source);
    } catch (InvalidInputException e) {
      problems.add(e.getMessage());
      return dflt;
    }
  }

  /** A problem found outside the typed reads, worded as they are. */
  public void problem(String message) {
    problems.add(message);
  }

  /**
   * Builds a value whose constructor checks rules between settings, once every setting read so far
   * was good (a rule judged on a substituted default would blame the wrong value). Returns null
   * when it is not built or refuses; {@link #check} then throws.
   */
  public <T> T build(Supplier<T> constructor) {
    if (!problems.isEmpty()) {
      return null;
    }
    try {
      return constructor.get();
    } catch (InvalidInputException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  /** Throws every problem noted so far, in the order found, in one exception. */
  public void check() {
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", problems));
    }
  }

  /** The text given for a setting and which option or variable gave it. */
  private record Given(String source, String text) {}

  /** The value {@code convert} makes of the text given, which is refused when it makes null. */
  private <T> T read(Setting s, String what, String valid, Function<String, T> convert, T dflt) {
    Given g = given(s, valid);
    if (g == null) {
      return dflt;
    }
    T value = convert.apply(g.text);
    return value != null ? value : refuse(g, what, valid, dflt);
  }

  private Given given(Setting s, String valid) {
    if (s.optionValue != null) {
      if (s.optionValue.isBlank()) {
        problems.add(s.option + " is empty: write " + valid);
        return null;
      }
      return new Given(s.option, s.optionValue.trim());
    }
    String v = s.variable == null ? null : env.get(s.variable);
    return v == null || v.isBlank() ? null : new Given(s.variable, v.trim());
  }

  private <T> T refuse(Given g, String what, String valid, T dflt) {
    problems.add(g.source + "=" + g.text + " is not " + what + ": write " + valid);
    return dflt;
  }

  private static Integer between(String text, int min, int max) {
    try {
      int n = Integer.parseInt(text);
      return n >= min && n <= max ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration duration(String text) {
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      // ArithmeticException: more nanoseconds than a long holds
      return null;
    }
  }
}
