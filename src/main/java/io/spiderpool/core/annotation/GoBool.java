// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.annotation.AnnotationErrors.Owner;
import io.spiderpool.core.error.InvalidInputException;
import java.util.Map;

/**
 * Go's {@code strconv.ParseBool} syntax, which Spiderpool uses for boolean annotations such as
 * {@code ipam.spidernet.io/ippool-reclaim}: exactly 1, t, T, TRUE, true, True, 0, f, F, FALSE,
 * false, False. Anything else (" true", "yes", "tRUE") is refused, as in Go.
 */
public final class GoBool {
  public static final String SYNTAX =
      "true or false (also accepted: 1, t, T, TRUE, True, 0, f, F, FALSE, False)";

  private GoBool() {}

  /** The value, or null when {@code text} is not in ParseBool syntax. */
  public static Boolean tryParse(String text) {
    return switch (text == null ? "" : text) {
      case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
      case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
      default -> null;
    };
  }

  /** Parses {@code text}; {@code where} names the value in the error. */
  public static boolean parse(String text, String where) {
    Boolean b = tryParse(text);
    if (b == null) {
      throw new InvalidInputException(where + ": '" + text + "' is not a boolean; write " + SYNTAX);
    }
    return b;
  }

  /** {@code ipam.spidernet.io/ippool-reclaim} of a Pod; true when absent. */
  public static boolean reclaimIpPool(Map<String, String> podAnnotations) {
    String value = podAnnotations.get(IpamAnnotations.POD_IPPOOL_RECLAIM);
    if (value == null) {
      return true;
    }
    Boolean b = tryParse(value);
    if (b == null) {
      throw AnnotationErrors.invalid(
          Owner.POD,
          IpamAnnotations.POD_IPPOOL_RECLAIM,
          "'" + value + "' is not a boolean",
          SYNTAX);
    }
    return b;
  }
}
