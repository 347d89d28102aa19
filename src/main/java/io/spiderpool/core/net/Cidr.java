// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.net;

import io.spiderpool.core.error.InvalidInputException;
import java.math.BigInteger;

/** A network prefix such as {@code 10.0.0.0/24} or {@code fd00::/64}, always in canonical form. */
public record Cidr(IpAddress network, int prefix) {

  public Cidr {
    if (prefix < 0 || prefix > network.family().bits()) {
      throw new IllegalArgumentException(
          "prefix /" + prefix + " is invalid for " + network.family());
    }
    if (!network.network(prefix).equals(network)) {
      throw new IllegalArgumentException(network + "/" + prefix + " has host bits set");
    }
  }

  /**
   * Parses a canonical CIDR. Host bits are an error that names the fix, as Spiderpool's webhook
   * does: {@code 10.0.0.1/24 is not canonical: write 10.0.0.0/24}.
   */
  public static Cidr parse(String text) {
    Prefixed p = parsePrefixed(text);
    Cidr canonical = new Cidr(p.address().network(p.prefix()), p.prefix());
    if (!canonical.network.equals(p.address())) {
      throw new InvalidInputException(text + " is not canonical: write " + canonical);
    }
    return canonical;
  }

  /** Parses a canonical CIDR that must be of {@code family}. */
  public static Cidr parse(String text, IpFamily family) {
    Cidr c = parse(text);
    if (c.family() != family) {
      throw new InvalidInputException(
          text + " is an " + c.family() + " subnet where an " + family + " one is expected");
    }
    return c;
  }

  /** An address with a prefix length, host bits allowed: {@code 10.0.0.5/24}. */
  public record Prefixed(IpAddress address, int prefix) {
    /** The network this address belongs to. */
    public Cidr cidr() {
      return new Cidr(address.network(prefix), prefix);
    }

    @Override
    public String toString() {
      return address + "/" + prefix;
    }
  }

  /** Parses {@code address/prefix} without requiring a canonical network address. */
  public static Prefixed parsePrefixed(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0) {
      throw new InvalidInputException(
          "'" + text + "' is not a CIDR: write an address and a prefix length, e.g. 10.0.0.0/24");
    }
    IpAddress ip = IpAddress.tryParse(text.substring(0, slash));
    String bits = text.substring(slash + 1);
    int prefix = parsePrefixLength(bits);
    if (ip == null || prefix < 0 || prefix > ip.family().bits()) {
      String max = ip == null ? "32 or 128" : String.valueOf(ip.family().bits());
      throw new InvalidInputException(
          "'"
              + text
              + "' is not a CIDR: write an address and a prefix length 0-"
              + max
              + ", e.g. 10.0.0.0/24 or fd00::/64");
    }
    return new Prefixed(ip, prefix);
  }

  private static int parsePrefixLength(String bits) {
    if (bits.isEmpty() || bits.length() > 3 || (bits.length() > 1 && bits.charAt(0) == '0')) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < bits.length(); i++) {
      char c = bits.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  public IpFamily family() {
    return network.family();
  }

  /** The first address (the network address). */
  public IpAddress first() {
    return network;
  }

  /** The last address (the broadcast address for IPv4). */
  public IpAddress last() {
    return network.broadcast(prefix);
  }

  /** Number of addresses in the prefix: 2^(bits - prefix), exact. */
  public BigInteger size() {
    return BigInteger.ONE.shiftLeft(family().bits() - prefix);
  }

  /** The whole prefix as one range. */
  public IpRange toRange() {
    return new IpRange(first(), last());
  }

  public boolean contains(IpAddress ip) {
    return ip.family() == family() && ip.network(prefix).equals(network);
  }

  /** True when every address of {@code r} lies in this prefix. */
  public boolean contains(IpRange r) {
    return contains(r.start()) && contains(r.end());
  }

  /** True when the two prefixes share at least one address (one contains the other). */
  public boolean overlaps(Cidr other) {
    if (other.family() != family()) {
      return false;
    }
    int p = Math.min(prefix, other.prefix);
    return network.network(p).equals(other.network.network(p));
  }

  /**
   * The label value Spiderpool writes for a CIDR ({@code ipam.spidernet.io/ippool-cidr}): {@code
   * .}, {@code :} and {@code /} replaced by {@code -}.
   */
  public String labelValue() {
    return toString().replace('.', '-').replace(':', '-').replace('/', '-');
  }

  @Override
  public String toString() {
    return network + "/" + prefix;
  }
}
