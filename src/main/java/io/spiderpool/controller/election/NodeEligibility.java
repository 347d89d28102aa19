// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.pool.LabelRequirement;
import io.spiderpool.core.pool.LabelSelector;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Whether the daemon on this node campaigns: its node matches the selector, or no node in the
 * cluster does (small clusters, or control-plane nodes not labelled as such). Asked at most once
 * per {@link LeaseElector#INELIGIBLE_RECHECK} per daemon, and answered with two cheap reads (the
 * own Node, then one matching Node at most), so a large cluster does not load the API server.
 */
public final class NodeEligibility implements LeaseElector.Eligibility {
  private static final Logger LOG = Logger.getLogger(NodeEligibility.class.getName());

  private final KubernetesClient client;
  private final String nodeName;
  private final LabelSelector selector;
  private Boolean last;
  private long checkedAt;

  public NodeEligibility(KubernetesClient client, String nodeName, LabelSelector selector) {
    this.client = client;
    this.nodeName = nodeName;
    this.selector = selector;
  }

  @Override
  public synchronized boolean eligible() {
    long now = System.nanoTime();
    if (last != null && now - checkedAt < LeaseElector.INELIGIBLE_RECHECK.toNanos()) {
      return last;
    }
    boolean answer = compute();
    if (last == null || last != answer) {
      LOG.info(
          "node "
              + nodeName
              + (answer ? " campaigns" : " does not campaign")
              + " for the controller role (selector '"
              + selector
              + "')");
    }
    last = answer;
    checkedAt = now;
    return answer;
  }

  private boolean compute() {
    if (selector.isEmpty()) {
      return true;
    }
    Node own = client.nodes().withName(nodeName).get();
    Map<String, String> labels =
        own == null || own.getMetadata().getLabels() == null
            ? Map.of()
            : own.getMetadata().getLabels();
    if (selector.matches(labels)) {
      return true;
    }
    return client
        .nodes()
        .withLabelSelector(toFabric8(selector))
        .list(new ListOptionsBuilder().withLimit(1L).build())
        .getItems()
        .isEmpty();
  }

  static io.fabric8.kubernetes.api.model.LabelSelector toFabric8(LabelSelector s) {
    LabelSelectorBuilder b = new LabelSelectorBuilder().withMatchLabels(s.matchLabels());
    for (LabelRequirement r : s.matchExpressions()) {
      b.addToMatchExpressions(
          new LabelSelectorRequirementBuilder()
              .withKey(r.key())
              .withOperator(r.operator().wireName())
              .withValues(r.values())
              .build());
    }
    return b.build();
  }
}
