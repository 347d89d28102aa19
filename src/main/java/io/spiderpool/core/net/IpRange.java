// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.net;

import io.spiderpool.core.error.InvalidInputException;
import java.math.BigInteger;

/**
 * An inclusive range of addresses of one family, {@code start ≤ end}. Its text form is
 * Spiderpool's: a single address ({@code 172.18.40.10}) or {@code start-end} without spaces.
 */
public record IpRange(IpAddress start, IpAddress end) implements Comparable<IpRange> {

  public IpRange {
    start.requireSameFamily(end);
    if (start.compareTo(end) > 0) {
      throw new IllegalArgumentException("range start " + start + " is after its end " + end);
    }
  }

  /** A range holding one address. */
  public static IpRange of(IpAddress ip) {
    return new IpRange(ip, ip);
  }

  /**
   * Parses {@code a.b.c.d} or {@code a.b.c.d-e.f.g.h}; both ends must be of one family and in
   * ascending order. Errors name the entry and show the valid form.
   */
  public static IpRange parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidInputException(
          "empty IP range: write an address (172.18.40.10) or a range (172.18.40.10-172.18.40.20)");
    }
    int dash = text.indexOf('-');
    if (dash < 0) {
      IpAddress ip = IpAddress.tryParse(text);
      if (ip == null) {
        throw notARange(text);
      }
      return of(ip);
    }
    IpAddress a = IpAddress.tryParse(text.substring(0, dash));
    IpAddress b = IpAddress.tryParse(text.substring(dash + 1));
    if (a == null || b == null) {
      throw notARange(text);
    }
    if (a.family() != b.family()) {
      throw new InvalidInputException(
          "'"
              + text
              + "' mixes "
              + a.family()
              + " and "
              + b.family()
              + ": both ends must be of one family");
    }
    if (a.compareTo(b) > 0) {
      throw new InvalidInputException("'" + text + "' starts after it ends: write " + b + "-" + a);
    }
    return new IpRange(a, b);
  }

  private static InvalidInputException notARange(String text) {
    return new InvalidInputException(
        "'"
            + text
            + "' is not an IP range: write an address (172.18.40.10) or a range"
            + " without spaces (172.18.40.10-172.18.40.20)");
  }

  public IpFamily family() {
    return start.family();
  }

  /** Number of addresses, exact for any size. */
  public BigInteger size() {
    return end.minus(start).add(BigInteger.ONE);
  }

  public boolean contains(IpAddress ip) {
    return ip.family() == family() && start.compareTo(ip) <= 0 && ip.compareTo(end) <= 0;
  }

  public boolean overlaps(IpRange o) {
    return o.family() == family() && start.compareTo(o.end) <= 0 && o.start.compareTo(end) <= 0;
  }

  /** True when the ranges overlap or {@code o} begins right after this one ends (or vice versa). */
  public boolean touches(IpRange o) {
    if (overlaps(o)) {
      return true;
    }
    if (o.family() != family()) {
      return false;
    }
    return (!end.isMax() && end.next().equals(o.start))
        || (!o.end.isMax() && o.end.next().equals(start));
  }

  @Override
  public int compareTo(IpRange o) {
    int c = start.compareTo(o.start);
    return c != 0 ? c : end.compareTo(o.end);
  }

  @Override
  public String toString() {
    return start.equals(end) ? start.toString() : start + "-" + end;
  }
}
