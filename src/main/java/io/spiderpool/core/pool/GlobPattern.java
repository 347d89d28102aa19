// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A shell wildcard with Go {@code path/filepath.Match} semantics, which Spiderpool uses for pool
 * names in annotations and CNI config: {@code *} any run of characters except {@code /}, {@code ?}
 * one character except {@code /}, {@code [a-z]} / {@code [^a-z]} a class, {@code \} escapes.
 * Compiled once and checked up front, so a malformed pattern is reported even when no pool exists
 * to match it against.
 */
public final class GlobPattern {
  private static final char SEPARATOR = '/';

  private final String pattern;
  private final List<Token> tokens;

  private GlobPattern(String pattern, List<Token> tokens) {
    this.pattern = pattern;
    this.tokens = tokens;
  }

  /**
   * Whether Spiderpool would treat {@code name} as a wildcard: it contains {@code *} or {@code ?},
   * or both {@code [} and {@code ]}. Anything else is a literal pool name.
   */
  public static boolean hasWildcard(String name) {
    return name.indexOf('*') >= 0
        || name.indexOf('?') >= 0
        || (name.indexOf('[') >= 0 && name.indexOf(']') >= 0);
  }

  /** Compiles a pattern; a malformed one is refused with the reason. */
  public static GlobPattern compile(String pattern) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '*') {
        tokens.add(Token.STAR);
        i++;
      } else if (c == '?') {
        tokens.add(Token.ANY);
        i++;
      } else if (c == '[') {
        i = compileClass(pattern, i + 1, tokens);
      } else if (c == '\\') {
        if (i + 1 >= pattern.length()) {
          throw malformed(pattern, "it ends with a lone '\\'");
        }
        tokens.add(Token.literal(pattern.charAt(i + 1)));
        i += 2;
      } else {
        tokens.add(Token.literal(c));
        i++;
      }
    }
    return new GlobPattern(pattern, List.copyOf(tokens));
  }

  /** Reads a class after its '['; returns the index after its ']'. */
  private static int compileClass(String p, int i, List<Token> tokens) {
    boolean negated = i < p.length() && p.charAt(i) == '^';
    if (negated) {
      i++;
    }
    StringBuilder ranges = new StringBuilder();
    while (true) {
      if (i < p.length() && p.charAt(i) == ']' && ranges.length() > 0) {
        tokens.add(new Token(Token.CLASS, ranges.toString(), negated));
        return i + 1;
      }
      int[] lo = classChar(p, i);
      int[] hi = lo;
      if (p.charAt(lo[1]) == '-') {
        hi = classChar(p, lo[1] + 1);
      }
      ranges.append((char) lo[0]).append((char) hi[0]);
      i = hi[1];
    }
  }

  /** One (possibly escaped) class character: {value, next index}; Go's getEsc rules. */
  private static int[] classChar(String p, int i) {
    if (i >= p.length() || p.charAt(i) == '-' || p.charAt(i) == ']') {
      throw malformed(
          p, "a character class is empty, unterminated, or has a misplaced '-' or" + " ']'");
    }
    if (p.charAt(i) == '\\') {
      i++;
    }
    if (i + 1 >= p.length()) {
      throw malformed(p, "a character class is not closed with ']'");
    }
    return new int[] {p.charAt(i), i + 1};
  }

  private static InvalidInputException malformed(String pattern, String why) {
    return new InvalidInputException(
        "'"
            + pattern
            + "' is not a valid wildcard pattern: "
            + why
            + "; use * and ? and classes like [a-z] or [^0-9], with \\ to escape");
  }

  /** Whether {@code name} matches the whole pattern. */
  public boolean matches(String name) {
    int p = 0;
    int s = 0;
    int starP = -1;
    int starS = -1;
    while (s < name.length()) {
      if (p < tokens.size() && tokens.get(p) == Token.STAR) {
        starP = p++;
        starS = s;
      } else if (p < tokens.size() && tokens.get(p).matches(name.charAt(s))) {
        p++;
        s++;
      } else if (starP >= 0 && name.charAt(starS) != SEPARATOR) {
        p = starP + 1;
        s = ++starS;
      } else {
        return false;
      }
    }
    while (p < tokens.size() && tokens.get(p) == Token.STAR) {
      p++;
    }
    return p == tokens.size();
  }

  @Override
  public String toString() {
    return pattern;
  }

  /** A single-character test or a star; {@code ranges} holds lo/hi pairs. */
  private record Token(int kind, String ranges, boolean negated) {
    static final int LITERAL = 0;
    static final int ANY_KIND = 1;
    static final int CLASS = 2;
    static final int STAR_KIND = 3;
    static final Token STAR = new Token(STAR_KIND, "", false);
    static final Token ANY = new Token(ANY_KIND, "", false);

    static Token literal(char c) {
      return new Token(LITERAL, String.valueOf(c), false);
    }

    boolean matches(char c) {
      switch (kind) {
        case LITERAL:
          return ranges.charAt(0) == c;
        case ANY_KIND:
          return c != SEPARATOR;
        case CLASS:
          boolean in = false;
          for (int i = 0; i < ranges.length(); i += 2) {
            in |= ranges.charAt(i) <= c && c <= ranges.charAt(i + 1);
          }
          return in != negated;
        default:
          return false;
      }
    }
  }
}
