// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --kubeconfig is found in argv before picocli runs, in both spellings. */
class KubeClientFactoryTest {
  @Test
  void findsKubeconfigInEitherSpelling() {
    assertThat(KubeClientFactory.kubeconfigArg(new String[] {"daemon", "--kubeconfig", "/k"}))
        .isEqualTo("/k");
    assertThat(
            KubeClientFactory.kubeconfigArg(
                new String[] {"daemon", "--node-name=n", "--kubeconfig=/k2"}))
        .isEqualTo("/k2");
    assertThat(KubeClientFactory.kubeconfigArg(new String[] {"daemon", "--kubeconfig"})).isNull();
    assertThat(KubeClientFactory.kubeconfigArg(new String[] {"daemon"})).isNull();
  }

  @Test
  void anUnreadableKubeconfigIsRefusedByName() {
    assertThatThrownBy(() -> KubeClientFactory.checkKubeconfig(Path.of("/nonexistent/kc")))
        .hasMessage("--kubeconfig /nonexistent/kc: no readable file there");
    KubeClientFactory.checkKubeconfig(null);
  }
}
