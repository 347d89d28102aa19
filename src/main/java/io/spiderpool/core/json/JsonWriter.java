// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a tree of the shape {@link JsonReader} produces as compact JSON (no whitespace), keys in
 * the map's iteration order. Used where the core must produce JSON without Jackson: the {@code
 * status.allocatedIPs} string and CNI results on the thin client path.
 *
 * <p>Accepted values: null, {@link String}, {@link Boolean}, integral numbers ({@code Long}, {@code
 * Integer}, {@code Short}, {@code Byte}, {@link BigInteger}), {@link BigDecimal}, finite {@code
 * Double}/{@code Float}, {@code Map} with String keys, {@code Iterable} and object arrays. Anything
 * else is a programming error ({@link IllegalArgumentException}), not bad input.
 */
public final class JsonWriter {
  /** Deeper trees are refused; this also turns an accidental cycle into a clear error. */
  static final int MAX_DEPTH = 256;

  private JsonWriter() {}

  /** The compact JSON text of {@code value}. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value, 0);
    return out.toString();
  }

  /** Appends {@code s} as a JSON string literal, quotes included. */
  public static void appendString(StringBuilder out, String s) {
    out.append('"');
    int plain = plainPrefix(s);
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Length of the leading run of characters written as they are (printable ASCII but quote and
   * backslash).
   */
  private static int plainPrefix(String s) {
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        break;
      }
      i++;
    }
    return i;
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
  }

  private static void append(StringBuilder out, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "cannot write JSON nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      appendString(out, s);
    } else if (value instanceof BigDecimal big) {
      out.append(shortest(big));
    } else if (value instanceof Boolean || isIntegral(value)) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      appendFloating(out, ((Number) value).doubleValue());
    } else if (value instanceof Map<?, ?> map) {
      appendObject(out, map, depth);
    } else if (value instanceof Iterable<?> items) {
      appendArray(out, items, depth);
    } else if (value instanceof Object[] items) {
      appendArray(out, Arrays.asList(items), depth);
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  private static boolean isIntegral(Object v) {
    return v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger;
  }

  private static void appendFloating(StringBuilder out, double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("cannot write " + d + " as JSON: not a finite number");
    }
    out.append(d);
  }

  private static void appendObject(StringBuilder out, Map<?, ?> map, int depth) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException(
            "cannot write JSON object key " + e.getKey() + ": keys must be strings");
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      appendString(out, key);
      out.append(':');
      append(out, e.getValue(), depth + 1);
    }
    out.append('}');
  }

  private static void appendArray(StringBuilder out, Iterable<?> items, int depth) {
    out.append('[');
    boolean first = true;
    for (Object item : items) {
      if (!first) {
        out.append(',');
      }
      first = false;
      append(out, item, depth + 1);
    }
    out.append(']');
  }

  /**
   * The shorter of BigDecimal's own text and "unscaled e exponent". The reader refuses number
   * tokens over 100 characters; this form is never longer than the token the number was read from,
   * while toString can be (a 100-character token with an exponent gains a '.' and an "E+").
   */
  private static String shortest(BigDecimal big) {
    String own = big.toString();
    if (big.scale() == 0) {
      return own;
    }
    String compact = big.unscaledValue() + "e" + (-(long) big.scale());
    return compact.length() < own.length() ? compact : own;
  }
}
