// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spiderpool-shaped objects of all four kinds, as users and Spiderpool's agent write them, are
 * accepted by a real API server with our CRDs and come back field for field — spec and status.
 */
@ExtendWith(ControlPlaneExtension.class)
class SpiderpoolObjectsIT {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spiderippool-v4.yaml",
        "spiderippool-v6-auto.yaml",
        "spidersubnet-v4.yaml",
        "spidersubnet-v6.yaml",
        "spiderendpoint-dual-stack.yaml",
        "spiderendpoint-statefulset.yaml",
        "spiderreservedip-v4.yaml",
        "spiderreservedip-v6.yaml"
      })
  void roundTripsThroughTheApiServer(String fixture, KubernetesClient client) {
    String yaml = Fixtures.yaml(fixture);
    HasMetadata wanted = Fixtures.SERIALIZATION.unmarshal(yaml, Fixtures.kindOf(yaml));
    HasMetadata toCreate = Fixtures.SERIALIZATION.unmarshal(yaml, Fixtures.kindOf(yaml));
    ObjectMeta meta = toCreate.getMetadata();
    meta.setResourceVersion(null);
    meta.setUid(null);
    if (meta.getNamespace() != null
        && client.namespaces().withName(meta.getNamespace()).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(meta.getNamespace())
                  .endMetadata()
                  .build())
          .create();
    }

    HasMetadata read = createAndRead(client, toCreate);

    assertThat(Fixtures.tree(read).get("spec")).isEqualTo(Fixtures.tree(wanted).get("spec"));
    assertThat(Fixtures.tree(read).get("status")).isEqualTo(Fixtures.tree(wanted).get("status"));
    assertThat(read.getMetadata().getLabels()).isEqualTo(wanted.getMetadata().getLabels());
    assertThat(read.getMetadata().getFinalizers()).isEqualTo(wanted.getMetadata().getFinalizers());
  }

  /**
   * Our model keeps fields it does not know (a client must not lose them on read-modify-write), but
   * the API server prunes what the structural schema does not declare and fills schema defaults.
   * This pins that down so nobody relies on unknown fields being stored.
   */
  @Test
  void serverPrunesUndeclaredFieldsAndFillsDefaults(KubernetesClient client) {
    String yaml = Fixtures.yaml("spiderippool-unknown-fields.yaml");
    SpiderIPPool sent = Fixtures.SERIALIZATION.unmarshal(yaml, SpiderIPPool.class);
    assertThat(Fixtures.tree(sent).get("spec").has("ipAddressMode"))
        .as("the client keeps it")
        .isTrue();
    sent.getMetadata().setResourceVersion(null);
    sent.getMetadata().setUid(null);

    SpiderIPPool read = (SpiderIPPool) createAndRead(client, sent);
    var spec = Fixtures.tree(read).get("spec");
    assertThat(spec.has("ipAddressMode")).isFalse();
    assertThat(spec.has("reservation")).isFalse();
    assertThat(spec.get("routes").get(0).has("metric")).isFalse();
    assertThat(spec.get("default").asBoolean(true)).isFalse();
    assertThat(spec.get("disable").asBoolean(true)).isFalse();
    assertThat(read.getSpec().getSubnet()).isEqualTo(sent.getSpec().getSubnet());
    assertThat(read.getSpec().getIps()).isEqualTo(sent.getSpec().getIps());
  }

  private static HasMetadata createAndRead(KubernetesClient client, HasMetadata toCreate) {
    ObjectMeta meta = toCreate.getMetadata();
    HasMetadata created = client.resource(toCreate).create();
    if (hasStatusSubresource(toCreate)) {
      // the API server drops status on create when status is a subresource; write it as the agent
      // does
      toCreate.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
      client.resource(toCreate).updateStatus();
    }
    return client.resource(toCreate).get();
  }

  private static boolean hasStatusSubresource(HasMetadata o) {
    return !(o instanceof SpiderEndpoint) && !(o instanceof SpiderReservedIP);
  }
}
