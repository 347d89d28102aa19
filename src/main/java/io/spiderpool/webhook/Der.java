// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The little DER needed to wrap traditional key formats into PKCS#8, which is all the JDK's {@code
 * KeyFactory} reads: PKCS#1 RSA keys and SEC1 EC keys. Kept instead of a library for the measured
 * reasons in {@link PemKeyPair}.
 */
final class Der {
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private Der() {}

  /** PrivateKeyInfo { version 0, rsaEncryption NULL, OCTET STRING pkcs1 }. */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    return sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, pkcs1));
  }

  /**
   * PrivateKeyInfo { version 0, { id-ecPublicKey, curve OID from the SEC1 [0] field }, OCTET STRING
   * sec1 }.
   */
  static byte[] sec1ToPkcs8(byte[] sec1) throws IOException {
    byte[] curve = curveOid(sec1);
    return sequence(
        new byte[] {0x02, 0x01, 0x00}, sequence(EC_PUBLIC_KEY_OID, curve), tlv(0x04, sec1));
  }

  /** The OID TLV inside the {@code [0] parameters} of an ECPrivateKey SEQUENCE. */
  private static byte[] curveOid(byte[] sec1) throws IOException {
    int[] outer = header(sec1, 0);
    int p = outer[0];
    int end = p + outer[1];
    while (p < end) {
      int tag = sec1[p] & 0xff;
      int[] h = header(sec1, p);
      if (tag == 0xa0) {
        int[] oid = header(sec1, h[0]);
        int len = oid[0] - h[0] + oid[1];
        byte[] out = new byte[len];
        System.arraycopy(sec1, h[0], out, 0, len);
        return out;
      }
      p = h[0] + h[1];
    }
    throw new IOException(
        "the EC PRIVATE KEY names no curve: write it as PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
  }

  /** {content offset, content length} of the TLV at {@code p}. */
  private static int[] header(byte[] der, int p) throws IOException {
    if (p + 2 > der.length) {
      throw new IOException("truncated DER");
    }
    int len = der[p + 1] & 0xff;
    int off = p + 2;
    if (len >= 0x80) {
      int n = len & 0x7f;
      if (n == 0 || n > 3 || off + n > der.length) {
        throw new IOException("unsupported DER length");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[off + i] & 0xff);
      }
      off += n;
    }
    if (off + len > der.length) {
      throw new IOException("truncated DER");
    }
    return new int[] {off, len};
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
