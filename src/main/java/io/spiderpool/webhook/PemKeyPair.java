// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key read from PEM files, as Spiderpool is given them ({@code
 * --tls-server-cert}, {@code --tls-server-key}). Keys: PKCS#8 ({@code PRIVATE KEY}, RSA or EC),
 * PKCS#1 ({@code RSA PRIVATE KEY}, what Helm's {@code genCA} writes) and SEC1 ({@code EC PRIVATE
 * KEY}). Loading checks that the key belongs to the first certificate, so a pair caught
 * half-written during a rotation is refused instead of served.
 *
 * <p>Why the PEM blocks are read here and not by a library (issue 12, measured on the 2-core CI
 * machine with JDK 17 under other builds: first load of a PKCS#1 RSA pair and a SEC1 EC pair in a
 * fresh JVM, CPU time of the loading, medians of two series of 7 and 9 runs):
 *
 * <ul>
 *   <li>the JDK's {@code KeyFactory} reads unencrypted PKCS#8 only; PKCS#1 (Helm's {@code genCA})
 *       and SEC1 ({@code openssl ecparam -genkey}) need the wrapping in {@link Der};
 *   <li>BouncyCastle 1.87 ({@code PEMParser}) reads every form, encrypted ones included, but adds
 *       9.5 MB of jars (bcprov, bcpkix, bcutil) to a 39 MB application and about 0.7 s of CPU to
 *       the first load (this code: 0.72–0.75 s, BouncyCastle: 1.45–1.46 s, mostly class loading);
 *   <li>Vert.x's {@code PemKeyCertOptions}, already in the application, reads PKCS#8, PKCS#1 and
 *       SEC1 but not Ed25519 PKCS#8, costs about 0.6 s more even with Vert.x already started
 *       (1.30–1.36 s), and its errors name neither the file nor the fix ("Missing -----BEGIN
 *       PRIVATE KEY----- ... delimiter" for an encrypted key);
 *   <li>SmallRye's private-key parser, also in the application, does not read SEC1.
 * </ul>
 *
 * Rotation stays with {@link ReloadingKeyManager} whichever parser is used: the server is the JDK's
 * {@code HttpsServer}, which the Quarkus TLS registry's reloading does not reach.
 */
public record PemKeyPair(X509Certificate[] chain, PrivateKey key) {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** RFC 1421 headers before the base64, as openssl writes them for a traditional encrypted key. */
  private static final Pattern HEADER =
      Pattern.compile("^\\s*[A-Za-z-]+:[^\\n]*\\n", Pattern.MULTILINE);

  /** Reads and checks a pair; the message of any failure names the file and the fix. */
  public static PemKeyPair load(Path certFile, Path keyFile) throws IOException {
    X509Certificate[] chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    if (!matches(chain[0], key)) {
      throw new IOException(
          "the key in "
              + keyFile
              + " does not belong to the certificate in "
              + certFile
              + ": write the key the certificate was issued for");
    }
    return new PemKeyPair(chain, key);
  }

  static X509Certificate[] certificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.type().equals("CERTIFICATE")) {
          out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (CertificateException e) {
      throw new IOException(
          file
              + " holds a CERTIFICATE block that is not a valid X.509 certificate: "
              + e.getMessage(),
          e);
    }
    if (out.isEmpty()) {
      throw new IOException(
          file
              + " holds no PEM CERTIFICATE block: give the server certificate (then any"
              + " intermediates) in PEM form");
    }
    return out.toArray(new X509Certificate[0]);
  }

  static PrivateKey privateKey(Path file) throws IOException {
    for (Block b : blocks(file)) {
      if (b.encrypted()) {
        throw encrypted(file);
      }
      switch (b.type()) {
        case "PRIVATE KEY":
          return pkcs8(file, b.der());
        case "RSA PRIVATE KEY":
          return pkcs8(file, Der.rsaPkcs1ToPkcs8(b.der()));
        case "EC PRIVATE KEY":
          return pkcs8(file, Der.sec1ToPkcs8(b.der()));
        case "ENCRYPTED PRIVATE KEY":
          throw encrypted(file);
        default:
          // EC PARAMETERS and the like precede the key in some files
      }
    }
    throw new IOException(
        file
            + " holds no PEM private key: give a PRIVATE KEY (PKCS#8), RSA PRIVATE KEY"
            + " (PKCS#1) or EC PRIVATE KEY block");
  }

  private static IOException encrypted(Path file) {
    return new IOException(
        file
            + " holds an encrypted key: write it unencrypted"
            + " (openssl pkey -in KEY -out KEY), the file's permissions protect it");
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(
        file
            + " holds a private key that is neither RSA nor EC nor Ed25519 (or is truncated):"
            + " give an RSA or EC key");
  }

  private static boolean matches(X509Certificate cert, PrivateKey key) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = "spiderpool-webhook-key-check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** A PEM block; {@code encrypted} when its headers say {@code Proc-Type: 4,ENCRYPTED}. */
  private record Block(String type, byte[] der, boolean encrypted) {}

  private static List<Block> blocks(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (MalformedInputException e) {
      throw new IOException(
          file + " is not a PEM file (binary content): convert it with openssl to PEM", e);
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      Matcher headers = HEADER.matcher(m.group(2));
      boolean encrypted = false;
      int end = 0;
      while (headers.find() && headers.start() == end) {
        encrypted |= headers.group().replaceAll("\\s", "").equals("Proc-Type:4,ENCRYPTED");
        end = headers.end();
      }
      String body = m.group(2).substring(end).replaceAll("\\s", "");
      if (encrypted) {
        out.add(new Block(m.group(1), new byte[0], true));
        continue;
      }
      try {
        out.add(new Block(m.group(1), Base64.getDecoder().decode(body), false));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            file
                + ": the "
                + m.group(1)
                + " block is not valid base64 (file damaged or"
                + " partly written)",
            e);
      }
    }
    return out;
  }
}
