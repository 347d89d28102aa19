// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA(s) whose client certificates the webhook accepts, from a PEM file (read once at start).
 */
final class ClientCa {
  private ClientCa() {}

  static TrustManager[] trustManagers(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new UncheckedIOException(
            new IOException(
                "no certificate in "
                    + pem
                    + ": give the PEM of the CA that signed the API server's webhook client certificate"));
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("client-ca-" + i++, c);
      }
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      return f.getTrustManagers();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "webhook client CA "
              + pem
              + " cannot be read: "
              + e.getMessage()
              + " (mount it, or unset "
              + WebhookSettings.ENV_CLIENT_CA
              + ")",
          e);
    } catch (GeneralSecurityException e) {
      throw new UncheckedIOException(
          new IOException(
              "webhook client CA " + pem + " is not a PEM certificate: " + e.getMessage(), e));
    }
  }
}
