// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;

/**
 * Claims in ConfigMap {@value #NAME} of the daemon's namespace; every write is a PUT carrying the
 * {@code resourceVersion} that was read (or a create when the ConfigMap is absent), so of two
 * concurrent writers exactly one wins and the other gets 409.
 */
final class ConfigMapClaimStore implements ClaimStore {
  static final String NAME = "spiderpool-webhook-claims";

  private final KubernetesClient client;
  private final String namespace;

  ConfigMapClaimStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public Snapshot read() {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(NAME).get();
    return cm == null
        ? new Snapshot(Map.of(), null)
        : new Snapshot(cm.getData(), cm.getMetadata().getResourceVersion());
  }

  @Override
  public boolean replace(Snapshot basis, Map<String, String> data) {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(namespace)
            .withResourceVersion(basis.version())
            .addToLabels("app.kubernetes.io/component", "webhook")
            .endMetadata()
            .withData(data)
            .build();
    try {
      if (basis.version() == null) {
        client.configMaps().inNamespace(namespace).resource(cm).create();
      } else {
        client.configMaps().inNamespace(namespace).resource(cm).update();
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }
}
