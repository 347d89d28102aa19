// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.annotation.AnnotationErrors.Owner;
import io.spiderpool.core.error.InvalidInputException;
import java.util.Map;

/**
 * The size of an auto-created pool from {@code ipam.spidernet.io/ippool-ip-number}: a fixed {@code
 * "N"}, or a flexible {@code "+N"} meaning the application's replicas plus N.
 *
 * @param flexible true for "+N"
 * @param count N, never negative
 */
public record IpNumber(boolean flexible, int count) {
  static final String EXAMPLE = "\"5\" for a fixed size or \"+1\" for replicas + 1";

  public IpNumber {
    if (count < 0) {
      throw new IllegalArgumentException("IP number " + count + " is negative");
    }
  }

  /** A flexible size of replicas + {@code extra}. */
  public static IpNumber flexible(int extra) {
    return new IpNumber(true, extra);
  }

  /**
   * The Pod's value, or flexible with the cluster default when the annotation is absent ({@code
   * clusterSubnetDefaultFlexibleIPNumber}).
   */
  public static IpNumber fromPod(Map<String, String> podAnnotations, int clusterDefault) {
    String value = podAnnotations.get(IpamAnnotations.POD_IPPOOL_IP_NUMBER);
    return value == null ? flexible(clusterDefault) : parse(value);
  }

  /**
   * Parses {@code "N"} or {@code "+N"} with N a decimal integer ≥ 0 (leading zeros allowed, as Go's
   * Atoi allows them). Unlike Spiderpool, text before the '+' is refused rather than ignored.
   */
  public static IpNumber parse(String value) {
    boolean flexible = value.startsWith("+");
    String digits = flexible ? value.substring(1) : value;
    if (!digits.matches("-?[0-9]{1,10}")) {
      throw invalid("'" + value + "' is not a whole number");
    }
    long n = Long.parseLong(digits);
    if (n < 0) {
      throw invalid("'" + value + "' is negative; the number must be 0 or more");
    }
    if (n > Integer.MAX_VALUE) {
      throw invalid("'" + value + "' is too large");
    }
    return new IpNumber(flexible, (int) n);
  }

  private static InvalidInputException invalid(String what) {
    return AnnotationErrors.invalid(Owner.POD, IpamAnnotations.POD_IPPOOL_IP_NUMBER, what, EXAMPLE);
  }

  @Override
  public String toString() {
    return (flexible ? "+" : "") + count;
  }
}
