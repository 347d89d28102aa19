// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.pool.LabelSelector;
import io.spiderpool.core.pool.SelectorText;
import io.spiderpool.testing.Waits;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import java.util.List;
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

  private static void ready(KubernetesClient client, String name, String status) {
    Node n = client.nodes().withName(name).get();
    n.setStatus(
        new NodeStatusBuilder()
            .addNewCondition()
            .withType("Ready")
            .withStatus(status)
            .endCondition()
            .build());
    client.nodes().resource(n).updateStatus();
  }

  private static List<String> campaigning(KubernetesClient client, LabelSelector selector) {
    return CANDIDATE_NODES.stream()
        .filter(n -> new NodeEligibility(client, n, selector).eligible())
        .toList();
  }

  /** Named to sort before any other Node of the shared cluster. */
  private static final List<String> CANDIDATE_NODES =
      List.of("0-cand-a", "0-cand-b", "0-cand-c", "0-cand-d", "0-cand-e");

  @Test
  void whenNoNodeMatchesOnlyTheFirstFewNodesThatHaveNotGoneCampaign(KubernetesClient client) {
    var selector = SelectorText.parse("candidates-it.spiderpool.io/controller", "test");
    for (String n : CANDIDATE_NODES) {
      node(client, n, Map.of());
      ready(client, n, "True");
    }
    assertThat(campaigning(client, selector))
        .as("no node matches: a bounded, deterministic few campaign")
        .hasSize(NodeEligibility.CANDIDATES)
        .containsExactly("0-cand-a", "0-cand-b", "0-cand-c");
    assertThat(new NodeEligibility(client, "0-cand-missing", selector).eligible())
        .as("a daemon whose Node is unknown never campaigns")
        .isFalse();

    ready(client, "0-cand-b", "False");
    assertThat(campaigning(client, selector))
        .as("a node reported down is replaced by the next in line")
        .containsExactly("0-cand-a", "0-cand-c", "0-cand-d");

    client.nodes().withName("0-cand-a").delete();
    await("the deleted Node gone")
        .atMost(Waits.CLUSTER)
        .pollInterval(Waits.POLL)
        .until(() -> client.nodes().withName("0-cand-a").get() == null);
    assertThat(campaigning(client, selector))
        .as("a deleted node is replaced too")
        .containsExactly("0-cand-c", "0-cand-d", "0-cand-e");
    CANDIDATE_NODES.forEach(n -> client.nodes().withName(n).delete());
  }

  @Test
  void onlyMatchingNodesCampaignWhileOneExists(KubernetesClient client) {
    String label = "eligibility-it.spiderpool.io/controller";
    node(client, "elig-worker", Map.of());
    var selector = SelectorText.parse(label, "test");
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
