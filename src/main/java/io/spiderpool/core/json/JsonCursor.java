// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

/** A position in a JSON text plus the primitives every token reader needs. Not thread-safe. */
final class JsonCursor {
  static final int END = -1;

  private final String text;
  private int pos;

  JsonCursor(String text) {
    this.text = text;
  }

  /** The current character, or {@link #END}. */
  int peek() {
    return pos < text.length() ? text.charAt(pos) : END;
  }

  /** The character {@code ahead} positions after the current one, or {@link #END}. */
  int peek(int ahead) {
    int at = pos + ahead;
    return at < text.length() ? text.charAt(at) : END;
  }

  boolean startsWith(String word) {
    return text.startsWith(word, pos);
  }

  void advance(int n) {
    pos += n;
  }

  int position() {
    return pos;
  }

  void rewind(int to) {
    pos = to;
  }

  String slice(int from) {
    return text.substring(from, pos);
  }

  void expect(char c, String what) {
    if (peek() != c) {
      throw error("expected " + what + ", found " + describe(peek()));
    }
    pos++;
  }

  void skipWhitespace() {
    int c = peek();
    while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pos++;
      c = peek();
    }
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** A character as a message shows it: {@code 'x'}, {@code U+000A} or "end of input". */
  static String describe(int c) {
    if (c == END) {
      return "end of input";
    }
    if (c >= 0x20 && c < 0x7f) {
      return "'" + (char) c + "'";
    }
    return String.format("U+%04X", c);
  }

  JsonSyntaxException error(String problem) {
    return errorAt(text, Math.min(pos, text.length()), problem);
  }

  static JsonSyntaxException errorAt(String text, int offset, String problem) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new JsonSyntaxException(problem, offset, line, offset - lineStart + 1);
  }
}
