// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The rate at which this JVM seals TLS-record-sized buffers (16 KiB) with the two AEAD ciphers TLS
 * 1.3 offers, AES-GCM and ChaCha20-Poly1305, for a few seconds each: run it with the node daemon's
 * JIT setting ({@code -XX:TieredStopAtLevel=1}) and without, to see what the JIT setting costs the
 * daemons' API traffic (docs/performance.md, "The throughput ceiling"). Arguments: seconds per
 * cipher (default 5).
 */
public final class CipherRate {
  private CipherRate() {}

  public static void main(String[] args) throws GeneralSecurityException {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
    byte[] record = new byte[16 * 1024];
    byte[] key = new byte[32];
    System.out.printf(
        "JVM %s, %s%n",
        System.getProperty("java.vm.version"),
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    for (String cipher : new String[] {"AES/GCM/NoPadding", "ChaCha20-Poly1305"}) {
      boolean aes = cipher.startsWith("AES");
      SecretKeySpec k = new SecretKeySpec(key, 0, aes ? 16 : 32, aes ? "AES" : "ChaCha20");
      long sealed = 0;
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      for (long n = 0; System.nanoTime() < end; n++) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
          nonce[i] = (byte) (n >>> (8 * i));
        }
        AlgorithmParameterSpec p =
            aes ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce);
        Cipher c = Cipher.getInstance(cipher);
        c.init(Cipher.ENCRYPT_MODE, k, p);
        sealed += c.doFinal(record).length - 16;
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("  %-20s %8.1f MB/s%n", cipher, sealed / s / 1e6);
    }
  }
}
