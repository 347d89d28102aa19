// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.pool.SelectorText;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Who campaigns, asked of a real API server's Nodes. */
@ExtendWith(ControlPlaneExtension.class)
class NodeEligibilityIT {

  private static void node(KubernetesClient client, String name, Map<String, String> labels) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .serverSideApply();
  }

  @Test
  void onlyMatchingNodesCampaignWhileOneExistsAndEveryNodeWhenNoneDoes(KubernetesClient client) {
    // a selector nothing in the shared cluster matches yet
    String label = "eligibility-it.spiderpool.io/controller";
    node(client, "elig-worker", Map.of());
    var selector = SelectorText.parse(label, "test");
    assertThat(new NodeEligibility(client, "elig-worker", selector).eligible())
        .as("no node matches: every daemon campaigns")
        .isTrue();

    node(client, "elig-cp", Map.of(label, ""));
    assertThat(new NodeEligibility(client, "elig-worker", selector).eligible())
        .as("a matching node exists: the worker does not campaign")
        .isFalse();
    assertThat(new NodeEligibility(client, "elig-cp", selector).eligible()).isTrue();
    assertThat(new NodeEligibility(client, "elig-missing", selector).eligible())
        .as("a daemon whose Node is unknown is a worker too")
        .isFalse();

    var notIn = SelectorText.parse(label + ",zone notin (b)", "test");
    node(client, "elig-cp-b", Map.of(label, "", "zone", "b"));
    assertThat(new NodeEligibility(client, "elig-cp-b", notIn).eligible()).isFalse();
    assertThat(new NodeEligibility(client, "elig-cp", notIn).eligible()).isTrue();
    client.nodes().withName("elig-worker").delete();
    client.nodes().withName("elig-cp").delete();
    client.nodes().withName("elig-cp-b").delete();
  }
}
