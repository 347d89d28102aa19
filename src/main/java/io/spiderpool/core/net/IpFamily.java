// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.net;

/** An IP address family, numbered as Spiderpool numbers them in {@code spec.ipVersion}. */
public enum IpFamily {
  V4(4, 32),
  V6(6, 128);

  private final int version;
  private final int bits;

  IpFamily(int version, int bits) {
    this.version = version;
    this.bits = bits;
  }

  /** 4 or 6, as written in {@code spec.ipVersion}. */
  public int version() {
    return version;
  }

  /** Address width in bits: 32 or 128. */
  public int bits() {
    return bits;
  }

  /** The family for an {@code ipVersion} value; anything but 4 or 6 is rejected. */
  public static IpFamily ofVersion(long version) {
    if (version == 4) {
      return V4;
    }
    if (version == 6) {
      return V6;
    }
    throw new IllegalArgumentException("ipVersion " + version + " is invalid: write 4 or 6");
  }

  @Override
  public String toString() {
    return "IPv" + version;
  }
}
