// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

  @Test
  void defaultsAreSpiderpools() {
    WebhookSettings s = WebhookSettings.resolve(Map.of(), null, null, null);
    assertThat(s.port()).isEqualTo(5722);
    assertThat(s.certFile()).isEqualTo(Path.of("/etc/tls/tls.crt"));
    assertThat(s.keyFile()).isEqualTo(Path.of("/etc/tls/tls.key"));
    assertThat(s.bindAddress()).as("never every address unless asked").isEqualTo("127.0.0.1");
    assertThat(s.namespace()).isEqualTo("kube-system");
    assertThat(s.clientCaFile()).isNull();
    assertThat(s.claimTtl()).hasSeconds(5);
  }

  @Test
  void theListenAddressIsTheOptionThenTheVariableThenThePodIp() {
    assertThat(
            WebhookSettings.resolve(Map.of("SPIDERPOOL_POD_IP", "10.6.0.4"), null, null, null)
                .bindAddress())
        .isEqualTo("10.6.0.4");
    Map<String, String> env =
        Map.of("SPIDERPOOL_POD_IP", "10.6.0.4", "SPIDERPOOL_WEBHOOK_ADDRESS", "fd00::4");
    assertThat(WebhookSettings.resolve(env, null, null, null).bindAddress()).isEqualTo("fd00::4");
    assertThat(WebhookSettings.resolve(env, null, null, null, "0.0.0.0", null).bindAddress())
        .isEqualTo("0.0.0.0");
    assertThatThrownBy(
            () ->
                WebhookSettings.resolve(
                    Map.of("SPIDERPOOL_WEBHOOK_ADDRESS", "node1"), null, null, null))
        .hasMessageStartingWith(
            "SPIDERPOOL_WEBHOOK_ADDRESS=node1 is not an IP address to listen on");
  }

  @Test
  void aClientCaComesFromItsOptionOrVariable() {
    assertThat(
            WebhookSettings.resolve(
                    Map.of("SPIDERPOOL_WEBHOOK_CLIENT_CA", "/ca/ca.crt"), null, null, null)
                .clientCaFile())
        .isEqualTo(Path.of("/ca/ca.crt"));
    assertThat(WebhookSettings.resolve(Map.of(), null, null, null, null, "/x.pem").clientCaFile())
        .isEqualTo(Path.of("/x.pem"));
  }

  @Test
  void optionsBeatTheEnvironment() {
    Map<String, String> env =
        Map.of("SPIDERPOOL_WEBHOOK_PORT", "6000", "SPIDERPOOL_POD_NAMESPACE", "spiderpool");
    assertThat(WebhookSettings.resolve(env, null, null, null).port()).isEqualTo(6000);
    WebhookSettings s = WebhookSettings.resolve(env, "/x/tls.crt", "/x/tls.key", "0");
    assertThat(s.port()).isZero();
    assertThat(s.certFile()).isEqualTo(Path.of("/x/tls.crt"));
    assertThat(s.namespace()).isEqualTo("spiderpool");
  }

  @Test
  void badValuesNameTheirSource() {
    assertThatThrownBy(
            () ->
                WebhookSettings.resolve(Map.of("SPIDERPOOL_WEBHOOK_PORT", "web"), null, null, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "SPIDERPOOL_WEBHOOK_PORT=web is not a TCP port: write a number from 1 to 65535 (0 picks a free one)");
    assertThatThrownBy(() -> WebhookSettings.resolve(Map.of(), null, null, "70000"))
        .hasMessage(
            "--webhook-port=70000 is not a TCP port: write a number from 1 to 65535 (0 picks a free one)");
    assertThatThrownBy(() -> WebhookSettings.resolve(Map.of(), " ", null, null))
        .hasMessage("--tls-server-cert is empty: write a PEM file, e.g. /etc/tls/tls.crt");
  }
}
