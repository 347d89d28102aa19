// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.pool.LabelRequirement;
import io.spiderpool.core.pool.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Whether the daemon on this node campaigns: its node matches the selector, or no node in the
 * cluster does (small clusters, or control-plane nodes not labelled as such) and its node is one of
 * the {@link #CANDIDATES} first Nodes in the API server's list order (by name) that have not gone
 * (deleted, or reported not Ready). Every daemon computes the same few, so however large the
 * cluster at most a few daemons poll the Lease every retry period (docs/controller.md, "Who
 * campaigns"); when one goes, the next in line is chosen at the following recheck. Asked at most
 * once per {@link LeaseElector#INELIGIBLE_RECHECK} per daemon, and answered with small reads (the
 * own Node, one matching Node at most, then pages of {@link #PAGE} Nodes until the candidates are
 * found), so a large cluster does not load the API server.
 */
public final class NodeEligibility implements LeaseElector.Eligibility {
  private static final Logger LOG = Logger.getLogger(NodeEligibility.class.getName());

  /** How many daemons campaign when no node matches the selector. */
  public static final int CANDIDATES = 3;

  static final long PAGE = 16;

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
    boolean noneMatches =
        client
            .nodes()
            .withLabelSelector(toFabric8(selector))
            .list(new ListOptionsBuilder().withLimit(1L).build())
            .getItems()
            .isEmpty();
    return noneMatches && own != null && candidates().contains(nodeName);
  }

  /** The first {@link #CANDIDATES} Nodes in list order that have not gone. */
  private List<String> candidates() {
    List<String> chosen = new ArrayList<>();
    String next = null;
    do {
      NodeList page =
          client.nodes().list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
      for (Node n : page.getItems()) {
        if (present(n)) {
          chosen.add(n.getMetadata().getName());
          if (chosen.size() == CANDIDATES) {
            return chosen;
          }
        }
      }
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return chosen;
  }

  /**
   * Not being deleted and not reported down: a Ready condition other than True rules a node out; a
   * node that has not reported one yet counts.
   */
  static boolean present(Node n) {
    if (n.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return true;
    }
    return n.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .allMatch(c -> "True".equals(c.getStatus()));
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
