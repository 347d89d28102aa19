// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import io.spiderpool.core.error.InvalidInputException;

/**
 * Text that is not valid JSON (RFC 8259) or exceeds the reader's limits. Carries the position so
 * callers that show the input next to the message can point at the offending character.
 */
public class JsonSyntaxException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final int offset;
  private final int line;
  private final int column;

  JsonSyntaxException(String problem, int offset, int line, int column) {
    super("invalid JSON at line " + line + ", column " + column + ": " + problem);
    this.offset = offset;
    this.line = line;
    this.column = column;
  }

  /** Zero-based index of the offending character in the input. */
  public int offset() {
    return offset;
  }

  /** One-based line of the offending character. */
  public int line() {
    return line;
  }

  /** One-based column (in UTF-16 units) of the offending character. */
  public int column() {
    return column;
  }
}
