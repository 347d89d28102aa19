// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Reads the scalar tokens of RFC 8259: strings (all escapes, surrogate pairs) and numbers. */
final class JsonTokens {
  /** Longer number tokens are refused: nothing we read needs them, and BigDecimal work grows. */
  static final int MAX_NUMBER_CHARS = 100;

  private JsonTokens() {}

  /** Reads a string; the cursor is on the opening quote. */
  static String string(JsonCursor in) {
    in.advance(1);
    StringBuilder out = new StringBuilder();
    while (true) {
      int c = in.peek();
      if (c == JsonCursor.END) {
        throw in.error("unterminated string: expected a closing '\"'");
      }
      if (c == '"') {
        in.advance(1);
        return out.toString();
      }
      if (c == '\\') {
        escape(in, out);
      } else if (c < 0x20) {
        throw in.error(
            "control character " + JsonCursor.describe(c) + " must be escaped inside a string");
      } else if (Character.isSurrogate((char) c)) {
        rawSurrogate(in, out);
      } else {
        out.append((char) c);
        in.advance(1);
      }
    }
  }

  private static void rawSurrogate(JsonCursor in, StringBuilder out) {
    int high = in.peek();
    int low = in.peek(1);
    if (Character.isHighSurrogate((char) high)
        && low != JsonCursor.END
        && Character.isLowSurrogate((char) low)) {
      out.append((char) high).append((char) low);
      in.advance(2);
      return;
    }
    throw in.error("unpaired surrogate character " + JsonCursor.describe(high) + " in a string");
  }

  private static void escape(JsonCursor in, StringBuilder out) {
    int c = in.peek(1);
    switch (c) {
      case '"' -> out.append('"');
      case '\\' -> out.append('\\');
      case '/' -> out.append('/');
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'n' -> out.append('\n');
      case 'r' -> out.append('\r');
      case 't' -> out.append('\t');
      case 'u' -> {
        unicodeEscape(in, out);
        return;
      }
      default -> {
        in.advance(1);
        throw in.error(
            "invalid escape "
                + JsonCursor.describe(c)
                + " after '\\': use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX");
      }
    }
    in.advance(2);
  }

  private static void unicodeEscape(JsonCursor in, StringBuilder out) {
    int escapeStart = in.position();
    in.advance(2);
    char first = hex4(in);
    if (Character.isHighSurrogate(first) && in.startsWith("\\u")) {
      int secondStart = in.position();
      in.advance(2);
      char second = hex4(in);
      if (Character.isLowSurrogate(second)) {
        out.append(first).append(second);
        return;
      }
      in.rewind(secondStart);
    }
    if (Character.isSurrogate(first)) {
      in.rewind(escapeStart);
      throw in.error(
          String.format(
              "unpaired surrogate \\u%04X: a character above U+FFFF is"
                  + " written as a pair such as \\uD83D\\uDE00",
              (int) first));
    }
    out.append(first);
  }

  private static char hex4(JsonCursor in) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int c = in.peek();
      int digit = c >= 0 && c < 0x80 ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        throw in.error("expected 4 hex digits after \\u, found " + JsonCursor.describe(c));
      }
      value = value * 16 + digit;
      in.advance(1);
    }
    return (char) value;
  }

  /**
   * Reads a number: a {@link Long} when it is an integer that fits, else a {@link BigDecimal}
   * holding the exact decimal value (never a double, so nothing is silently rounded).
   */
  static Object number(JsonCursor in) {
    int start = in.position();
    boolean integral = true;
    if (in.peek() == '-') {
      in.advance(1);
    }
    if (in.peek() == '0') {
      in.advance(1);
      if (JsonCursor.isDigit(in.peek())) {
        throw in.error("leading zeros are not allowed in a number");
      }
    } else {
      digits(in, "a digit");
    }
    if (in.peek() == '.') {
      integral = false;
      in.advance(1);
      digits(in, "a digit after the decimal point");
    }
    if (in.peek() == 'e' || in.peek() == 'E') {
      integral = false;
      in.advance(1);
      if (in.peek() == '+' || in.peek() == '-') {
        in.advance(1);
      }
      digits(in, "a digit in the exponent");
    }
    return toNumber(in, start, integral);
  }

  private static Object toNumber(JsonCursor in, int start, boolean integral) {
    String token = in.slice(start);
    if (token.length() > MAX_NUMBER_CHARS) {
      in.rewind(start);
      throw in.error("number longer than " + MAX_NUMBER_CHARS + " characters");
    }
    if (integral && token.length() <= 18) {
      return Long.parseLong(token);
    }
    if (integral) {
      BigInteger big = new BigInteger(token);
      return big.bitLength() < 64 ? (Object) big.longValue() : new BigDecimal(big);
    }
    try {
      return new BigDecimal(token);
    } catch (NumberFormatException outOfRange) {
      in.rewind(start);
      throw in.error("number " + token + " is out of range");
    }
  }

  private static void digits(JsonCursor in, String expected) {
    if (!JsonCursor.isDigit(in.peek())) {
      throw in.error("expected " + expected + ", found " + JsonCursor.describe(in.peek()));
    }
    while (JsonCursor.isDigit(in.peek())) {
      in.advance(1);
    }
  }
}
