// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.net;

/**
 * Text form of addresses. Parsing is strict the way Go's {@code net.ParseIP} is (what Spiderpool
 * uses): IPv4 parts are decimal 0–255 without leading zeros; IPv6 allows one {@code ::} and a
 * trailing dotted IPv4; zones ({@code %eth0}) and surrounding spaces are rejected. Never resolves
 * names: no DNS lookup can hide in here.
 */
final class AddressText {
  private AddressText() {}

  static IpAddress parseV4(String s) {
    long v = parseV4Value(s, 0, s.length());
    return v < 0 ? null : IpAddress.v4(v);
  }

  /** The 32-bit value of s[from, to) as a dotted quad, or -1. */
  private static long parseV4Value(String s, int from, int to) {
    long value = 0;
    int parts = 0;
    int i = from;
    while (i <= to) {
      int start = i;
      int part = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        part = part * 10 + (s.charAt(i) - '0');
        if (part > 255) {
          return -1;
        }
        i++;
      }
      int len = i - start;
      if (len == 0 || (len > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | part;
      parts++;
      if (i == to) {
        break;
      }
      if (s.charAt(i) != '.' || parts == 4) {
        return -1;
      }
      i++;
    }
    return parts == 4 ? value : -1;
  }

  static IpAddress parseV6(String s) {
    int[] groups = new int[8];
    int n = 0;
    int gap = -1;
    int i = 0;
    int len = s.length();
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
      if (len == 2) {
        return IpAddress.v6(0, 0);
      }
    } else if (s.startsWith(":")) {
      return null;
    }
    while (i < len) {
      if (n == 8) {
        return null;
      }
      int start = i;
      int g = 0;
      while (i < len && hex(s.charAt(i)) >= 0 && i - start < 5) {
        g = (g << 4) | hex(s.charAt(i));
        i++;
      }
      if (i < len && s.charAt(i) == '.') {
        if (n > 6) {
          return null;
        }
        long v4 = parseV4Value(s, start, len);
        if (v4 < 0) {
          return null;
        }
        groups[n++] = (int) (v4 >>> 16);
        groups[n++] = (int) (v4 & 0xFFFF);
        i = len;
        break;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4) {
        return null;
      }
      groups[n++] = g;
      if (i == len) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < len && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = n;
        i++;
        if (i == len) {
          break;
        }
      } else if (i == len) {
        return null;
      }
    }
    if (gap < 0 && n != 8) {
      return null;
    }
    if (gap >= 0) {
      if (n == 8) {
        return null;
      }
      int move = n - gap;
      System.arraycopy(groups, gap, groups, 8 - move, move);
      for (int k = gap; k < 8 - move; k++) {
        groups[k] = 0;
      }
    }
    long hi = 0;
    long lo = 0;
    for (int k = 0; k < 4; k++) {
      hi = (hi << 16) | groups[k];
      lo = (lo << 16) | groups[k + 4];
    }
    return IpAddress.v6(hi, lo);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  static String formatV4(long v) {
    return ((v >>> 24) & 0xFF)
        + "."
        + ((v >>> 16) & 0xFF)
        + "."
        + ((v >>> 8) & 0xFF)
        + "."
        + (v & 0xFF);
  }

  static String formatV6(long hi, long lo) {
    int[] g = new int[8];
    for (int k = 0; k < 4; k++) {
      g[k] = (int) ((hi >>> (48 - 16 * k)) & 0xFFFF);
      g[k + 4] = (int) ((lo >>> (48 - 16 * k)) & 0xFFFF);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int k = 0; k < 8; ) {
      if (g[k] != 0) {
        k++;
        continue;
      }
      int start = k;
      while (k < 8 && g[k] == 0) {
        k++;
      }
      if (k - start > bestLen) {
        bestStart = start;
        bestLen = k - start;
      }
    }
    StringBuilder sb = new StringBuilder(39);
    for (int k = 0; k < 8; k++) {
      if (k == bestStart) {
        sb.append("::");
        k += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[k]));
    }
    return sb.toString();
  }
}
