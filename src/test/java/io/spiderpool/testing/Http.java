// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing;

import static io.restassured.RestAssured.given;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.config.SSLConfig;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.conn.ssl.SSLSocketFactory;

/**
 * rest-assured requests to what our processes serve on 127.0.0.1: probes and metrics over HTTP, the
 * webhooks over HTTPS. Each request carries its own configuration (no static RestAssured state),
 * and gives up after 5 s instead of hanging a test.
 */
public final class Http {
  private static final int TIMEOUT_MS = 5_000;
  private static final HttpClientConfig TIMEOUTS =
      HttpClientConfig.httpClientConfig()
          .setParam("http.connection.timeout", TIMEOUT_MS)
          .setParam("http.socket.timeout", TIMEOUT_MS);

  private Http() {}

  /** {@code http://127.0.0.1:port}, where the probes and metrics listen. */
  public static RequestSpecification on(int port) {
    return given()
        .baseUri("http://127.0.0.1")
        .port(port)
        .config(RestAssuredConfig.config().httpClient(TIMEOUTS));
  }

  /**
   * {@code https://127.0.0.1:port} through {@code tls}: its trusted CAs verify the server (and its
   * name, 127.0.0.1), its key manager presents any client certificate.
   */
  @SuppressWarnings(
      "deprecation") // rest-assured 5 takes TLS set-up as Apache HttpClient 4's socket factory
  public static RequestSpecification tls(int port, SSLContext tls) {
    SSLSocketFactory sockets = new SSLSocketFactory(tls, SSLSocketFactory.STRICT_HOSTNAME_VERIFIER);
    return given()
        .baseUri("https://127.0.0.1")
        .port(port)
        .config(
            RestAssuredConfig.config()
                .httpClient(TIMEOUTS)
                .sslConfig(SSLConfig.sslConfig().sslSocketFactory(sockets)));
  }

  /** A TLS client that trusts only the CA in {@code caCrt} and presents no certificate. */
  public static SSLContext trusting(Path caCrt) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caCrt)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
