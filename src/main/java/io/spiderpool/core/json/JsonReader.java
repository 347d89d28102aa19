// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import io.spiderpool.core.error.InvalidInputException;

/**
 * A strict RFC 8259 reader producing a plain Java tree, so the core can read annotation values and
 * CNI configuration without a JSON library.
 *
 * <p>The tree: an object is an unmodifiable {@code Map<String, Object>} in document order, an array
 * an unmodifiable {@code List<Object>}, a string a {@link String}, a number a {@link Long} when it
 * is an integer that fits and an exact {@link java.math.BigDecimal} otherwise, a boolean a {@link
 * Boolean}, and {@code null} is Java {@code null} (use {@code containsKey} to tell an explicit null
 * from a missing key; for Spiderpool's Go structs the two mean the same).
 *
 * <p>Strict means: no comments, no trailing commas, no single quotes, no leading zeros, no
 * NaN/Infinity, no unescaped control characters, no unpaired surrogates, and no duplicate keys (Go
 * would keep the last one silently; an ambiguous annotation is better refused). Limits on length
 * and nesting keep a hostile annotation from costing more than a bounded amount of work.
 */
public final class JsonReader {
  /** Nesting deeper than this is refused; Spiderpool's documents nest three levels at most. */
  public static final int DEFAULT_MAX_DEPTH = 64;

  /** Longer texts are refused: Kubernetes caps all annotations of an object at 256 KiB. */
  public static final int DEFAULT_MAX_LENGTH = 1 << 20;

  private static final JsonReader DEFAULT = new JsonReader(DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH);

  private final int maxDepth;
  private final int maxLength;

  private JsonReader(int maxDepth, int maxLength) {
    if (maxDepth < 1 || maxLength < 1) {
      throw new IllegalArgumentException("JSON limits must be positive");
    }
    this.maxDepth = maxDepth;
    this.maxLength = maxLength;
  }

  /** A reader with custom limits (maximum nesting of objects/arrays, maximum characters). */
  public static JsonReader withLimits(int maxDepth, int maxLength) {
    return new JsonReader(maxDepth, maxLength);
  }

  /** Parses with the default limits. */
  public static Object parse(String text) {
    return DEFAULT.read(text);
  }

  /**
   * Parses one JSON text (surrounding whitespace allowed).
   *
   * @throws JsonSyntaxException if the text is not JSON or breaks a limit; the message gives the
   *     line, column and what was expected there
   * @throws InvalidInputException if {@code text} is null
   */
  public Object read(String text) {
    if (text == null) {
      throw new InvalidInputException("no JSON text given: write a JSON value such as {} or []");
    }
    if (text.length() > maxLength) {
      throw JsonCursor.errorAt(text, maxLength, "input longer than " + maxLength + " characters");
    }
    return new JsonParser(text, maxDepth).parseDocument();
  }
}
