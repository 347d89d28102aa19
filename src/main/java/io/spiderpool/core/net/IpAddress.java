// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.net;

import io.spiderpool.core.error.InvalidInputException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address as an unsigned 128-bit number ({@code hi}:{@code lo}; IPv4 uses the low
 * 32 bits). Arithmetic is exact for the whole address space of either family, so ranges of any size
 * (an IPv6 /32 included) need no special cases. Ordering compares family first (IPv4 before IPv6),
 * then the numeric value.
 */
public final class IpAddress implements Comparable<IpAddress> {
  private static final long V4_MASK = 0xFFFF_FFFFL;

  private final IpFamily family;
  private final long hi;
  private final long lo;

  private IpAddress(IpFamily family, long hi, long lo) {
    this.family = family;
    this.hi = hi;
    this.lo = lo;
  }

  /** An IPv4 address from its 32-bit value (the low 32 bits of {@code value}). */
  public static IpAddress v4(long value) {
    return new IpAddress(IpFamily.V4, 0, value & V4_MASK);
  }

  /** An IPv6 address from its high and low 64 bits. */
  public static IpAddress v6(long hi, long lo) {
    return new IpAddress(IpFamily.V6, hi, lo);
  }

  /** Parses a textual address of either family; rejects zones, prefixes and leading zeros. */
  public static IpAddress parse(String text) {
    IpAddress ip = tryParse(text);
    if (ip == null) {
      throw new InvalidInputException(
          "'" + text + "' is not an IP address: write e.g. 172.18.40.10 or fd00::10");
    }
    return ip;
  }

  /** Parses an address that must be of {@code family}. */
  public static IpAddress parse(String text, IpFamily family) {
    IpAddress ip = parse(text);
    if (ip.family != family) {
      throw new InvalidInputException(
          "'" + text + "' is an " + ip.family + " address where an " + family + " one is expected");
    }
    return ip;
  }

  /** Parses an address, or returns null when {@code text} is not one. */
  public static IpAddress tryParse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    return text.indexOf(':') >= 0 ? AddressText.parseV6(text) : AddressText.parseV4(text);
  }

  /** The address with the given numeric value, which must fit the family. */
  public static IpAddress of(IpFamily family, BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > family.bits()) {
      throw new IllegalArgumentException(value + " is outside the " + family + " address space");
    }
    return family == IpFamily.V4
        ? v4(value.longValue())
        : v6(value.shiftRight(64).longValue(), value.longValue());
  }

  public IpFamily family() {
    return family;
  }

  long hi() {
    return hi;
  }

  long lo() {
    return lo;
  }

  /** The numeric value, 0 to 2^32-1 or 2^128-1. */
  public BigInteger toBigInteger() {
    BigInteger low = new BigInteger(Long.toUnsignedString(lo));
    return hi == 0 ? low : BigInteger.valueOf(hi).and(U64).shiftLeft(64).or(low);
  }

  private static final BigInteger U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** True for the highest address of the family (255.255.255.255 or ffff:…:ffff). */
  public boolean isMax() {
    return family == IpFamily.V4 ? lo == V4_MASK : (hi == -1L && lo == -1L);
  }

  /** True for 0.0.0.0 or ::. */
  public boolean isZero() {
    return hi == 0 && lo == 0;
  }

  /** The next address; fails on the highest address of the family. */
  public IpAddress next() {
    if (isMax()) {
      throw new ArithmeticException("no address after " + this);
    }
    long nlo = lo + 1;
    return new IpAddress(family, nlo == 0 ? hi + 1 : hi, nlo);
  }

  /** The previous address; fails on 0.0.0.0 / ::. */
  public IpAddress previous() {
    if (isZero()) {
      throw new ArithmeticException("no address before " + this);
    }
    return new IpAddress(family, lo == 0 ? hi - 1 : hi, lo - 1);
  }

  /** This address plus {@code n} (n ≥ 0); fails when the result leaves the address space. */
  public IpAddress plus(BigInteger n) {
    return of(family, toBigInteger().add(n));
  }

  /** The number of addresses from {@code other} up to this one: {@code this - other}. */
  public BigInteger minus(IpAddress other) {
    requireSameFamily(other);
    return toBigInteger().subtract(other.toBigInteger());
  }

  /** The first address of the prefix of length {@code prefix} that contains this address. */
  public IpAddress network(int prefix) {
    checkPrefix(prefix);
    int hostBits = family.bits() - prefix;
    if (family == IpFamily.V4) {
      return v4(hostBits == 32 ? 0 : lo & ~((1L << hostBits) - 1));
    }
    long[] m = hostMask(hostBits);
    return v6(hi & ~m[0], lo & ~m[1]);
  }

  /** The last address of the prefix of length {@code prefix} that contains this address. */
  public IpAddress broadcast(int prefix) {
    checkPrefix(prefix);
    int hostBits = family.bits() - prefix;
    if (family == IpFamily.V4) {
      return v4(hostBits == 32 ? V4_MASK : lo | ((1L << hostBits) - 1));
    }
    long[] m = hostMask(hostBits);
    return v6(hi | m[0], lo | m[1]);
  }

  private static long[] hostMask(int hostBits) {
    if (hostBits == 0) {
      return new long[] {0, 0};
    }
    if (hostBits >= 64) {
      long hiMask = hostBits == 128 ? -1L : (1L << (hostBits - 64)) - 1;
      return new long[] {hiMask, -1L};
    }
    return new long[] {0, (1L << hostBits) - 1};
  }

  private void checkPrefix(int prefix) {
    if (prefix < 0 || prefix > family.bits()) {
      throw new IllegalArgumentException(
          "prefix /" + prefix + " is invalid for " + family + ": use 0 to " + family.bits());
    }
  }

  void requireSameFamily(IpAddress other) {
    if (other.family != family) {
      throw new IllegalArgumentException("mixed families: " + this + " and " + other);
    }
  }

  @Override
  public int compareTo(IpAddress o) {
    if (family != o.family) {
      return family.compareTo(o.family);
    }
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress other
        && other.family == family
        && other.hi == hi
        && other.lo == lo;
  }

  @Override
  public int hashCode() {
    return Objects.hash(family, hi, lo);
  }

  /** Canonical text: dotted quad, or RFC 5952 for IPv6 (lower case, longest zero run as ::). */
  @Override
  public String toString() {
    return family == IpFamily.V4 ? AddressText.formatV4(lo) : AddressText.formatV6(hi, lo);
  }
}
