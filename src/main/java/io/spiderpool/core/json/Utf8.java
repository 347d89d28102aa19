// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

/**
 * Strict UTF-8 checking of bytes before they are decoded: {@code new String(bytes, UTF_8)} replaces
 * malformed input with U+FFFD, which would hand a different text on without a word. Every reader of
 * JSON from bytes (the CNI configuration, agent API bodies) refuses such input instead.
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no
   * overlong forms, no surrogates, nothing above U+10FFFF), or -1. Hand-written rather than a
   * reporting {@code CharsetDecoder}, which the CNI plugin process would load for this alone.
   */
  public static int firstInvalid(byte[] b) {
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      int max = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = c == 0xe0 ? 0xa0 : 0x80;
        max = c == 0xed ? 0x9f : 0xbf;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = c == 0xf0 ? 0x90 : 0x80;
        max = c == 0xf4 ? 0x8f : 0xbf;
      } else {
        return i;
      }
      for (int k = 1; k <= n; k++) {
        if (i + k >= b.length) {
          return i;
        }
        int cont = b[i + k] & 0xff;
        int lo = k == 1 ? min : 0x80;
        int hi = k == 1 ? max : 0xbf;
        if (cont < lo || cont > hi) {
          return i;
        }
      }
      i += n + 1;
    }
    return -1;
  }
}
