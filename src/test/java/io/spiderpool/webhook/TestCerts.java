// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Certificates made with openssl for the tests, and TLS clients that use them. */
final class TestCerts {
  private TestCerts() {}

  static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }

  /** A self-signed CA (ca.crt, ca.key) in {@code dir}. */
  static void newCa(Path dir) throws IOException, InterruptedException {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=test-ca",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
  }

  /**
   * A server key ({@code name}.key, in the given openssl key form) and certificate for 127.0.0.1
   * ({@code name}.crt) signed by {@code caCrt}/{@code caKey}.
   *
   * @param keyKind "rsa-pkcs8", "rsa-pkcs1" or "ec"
   */
  static void issue(Path dir, String name, String cn, Path caCrt, Path caKey, String keyKind)
      throws IOException, InterruptedException {
    switch (keyKind) {
      case "rsa-pkcs8" ->
          openssl(
              dir,
              "genpkey",
              "-algorithm",
              "RSA",
              "-pkeyopt",
              "rsa_keygen_bits:2048",
              "-out",
              name + ".key");
      case "rsa-pkcs1" -> {
        openssl(
            dir,
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            name + ".p8");
        openssl(dir, "rsa", "-in", name + ".p8", "-traditional", "-out", name + ".key");
      }
      case "ec" -> openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", name + ".key");
      default -> throw new IllegalArgumentException(keyKind);
    }
    Files.writeString(
        dir.resolve(name + ".ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            + "extendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n");
    openssl(dir, "req", "-new", "-key", name + ".key", "-subj", "/CN=" + cn, "-out", name + ".csr");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        caCrt.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
  }

  /**
   * A TLS client that trusts {@code caCrt} and presents {@code crt} with its PKCS#8 RSA {@code key}
   * (the API server's webhook client certificate in the tests).
   */
  static SSLContext presenting(Path caCrt, Path crt, Path key) throws Exception {
    String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey pk =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    Certificate cert;
    try (InputStream in = Files.newInputStream(crt)) {
      cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setKeyEntry("client", pk, new char[0], new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
    ts.load(null, null);
    try (InputStream in = Files.newInputStream(caCrt)) {
      ts.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * The certificate a fresh handshake with 127.0.0.1:{@code port} is shown (verified against the
   * CA).
   */
  static X509Certificate presented(SSLContext ctx, int port) throws IOException {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }
}
