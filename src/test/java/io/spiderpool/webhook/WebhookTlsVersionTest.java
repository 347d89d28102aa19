// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.testing.e2e.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admission webhooks speak TLS 1.2 and 1.3 only (docs/webhooks.md): a client that offers only
 * TLS 1.1 (or 1.0) gets no session, one that offers 1.2 or 1.3 does. The client is openssl, told to
 * allow the old versions on its side (security level 0; with that, it does complete a TLS 1.1
 * handshake with a server that allows it), so a refusal is the server's. Java 17 also disables TLS
 * 1.0/1.1 in its default security properties; the server's own protocol list refuses them as well
 * (checked by running this test with that ban lifted through {@code -Djava.security.properties}).
 */
class WebhookTlsVersionTest {
  @TempDir Path dir;

  @Test
  void onlyTls12AndTls13AreNegotiated() throws Exception {
    TestCerts.newCa(dir);
    TestCerts.issue(
        dir, "tls", "webhook", dir.resolve("ca.crt"), dir.resolve("ca.key"), "rsa-pkcs8");
    WebhookSettings settings =
        WebhookSettings.resolve(
                Map.of(), dir.resolve("tls.crt").toString(), dir.resolve("tls.key").toString(), "0")
            .withBindAddress("127.0.0.1")
            .withNamespace("default")
            .withCertCheckInterval(Duration.ZERO);
    try (WebhookServer server =
        WebhookServer.start(
            settings,
            new OverlapGuardTest.Stored(),
            new OverlapGuardTest.MemoryClaims(),
            ClusterConfig.DEFAULTS)) {
      for (String old : List.of("-tls1_1", "-tls1")) {
        Command.Outcome refused = handshake(server.port(), old);
        assertThat(refused.ok()).as(refused.describe()).isFalse();
        assertThat(refused.stdout())
            .as(refused.describe())
            .contains("New, (NONE), Cipher is (NONE)");
      }
      Command.Outcome v12 = handshake(server.port(), "-tls1_2");
      assertThat(v12.ok()).as(v12.describe()).isTrue();
      assertThat(v12.stdout()).as(v12.describe()).contains("New, TLSv1.2, Cipher is ");
      Command.Outcome v13 = handshake(server.port(), "-tls1_3");
      assertThat(v13.ok()).as(v13.describe()).isTrue();
      assertThat(v13.stdout()).as(v13.describe()).contains("New, TLSv1.3, Cipher is ");
    }
  }

  /** One handshake with {@code openssl s_client} limited to {@code version}. */
  private Command.Outcome handshake(int port, String version) {
    return Command.run(
        List.of(
            "openssl",
            "s_client",
            "-connect",
            "127.0.0.1:" + port,
            version,
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
            "-CAfile",
            dir.resolve("ca.crt").toString(),
            "-verify_return_error"),
        Map.of(),
        "",
        Duration.ofSeconds(30));
  }
}
