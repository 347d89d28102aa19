// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AuthProviderConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;

/** Which client configs stop looking for a token on every request, and what they send then. */
class CertificateAuthTest {
  private static ConfigBuilder certificate() {
    return new ConfigBuilder()
        .withMasterUrl("https://127.0.0.1:6443")
        .withClientCertData("Y2VydA==")
        .withClientKeyData("a2V5");
  }

  @Test
  void aCertificateOnlyConfigGetsAProviderOfNoToken() {
    Config config = certificate().build();
    assertThat(CertificateAuth.apply(config)).isTrue();
    assertThat(config.getOauthTokenProvider()).isSameAs(CertificateAuth.NO_TOKEN);
    assertThat(config.getOauthToken()).isNull();
  }

  @Test
  void aCertificateFileCountsToo() {
    Config config =
        new ConfigBuilder()
            .withMasterUrl("https://127.0.0.1:6443")
            .withClientCertFile("/etc/kubernetes/node.crt")
            .withClientKeyFile("/etc/kubernetes/node.key")
            .build();
    assertThat(CertificateAuth.apply(config)).isTrue();
  }

  @Test
  void configsWithATokenOrAnotherWayToGetOneAreLeftAlone() {
    Config token = new ConfigBuilder().withOauthToken("t").build();
    Config autoToken = certificate().build();
    autoToken.setAutoOAuthToken("from-exec-or-service-account");
    Config authProvider = certificate().build();
    authProvider.setAuthProvider(new AuthProviderConfig(null, "oidc"));
    Config basic = certificate().withUsername("u").withPassword("p").build();
    Config none = new ConfigBuilder().withMasterUrl("https://127.0.0.1:6443").build();
    Config[] configs = {token, autoToken, authProvider, basic, none};
    for (int i = 0; i < configs.length; i++) {
      assertThat(CertificateAuth.apply(configs[i])).as("config %d", i).isFalse();
      assertThat(configs[i].getOauthTokenProvider()).as("config %d", i).isNull();
    }
  }
}
