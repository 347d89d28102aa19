// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The converse of {@link RbacAudit#denied()}: every permission the rendered chart grants its
 * ServiceAccounts, each either used in the run's audit log or listed in {@link #UNREACHED} with the
 * code path that needs it (docs/install.md, "RBAC, derived from the calls the code makes"). A grant
 * that is neither is more than the code needs.
 *
 * <p>A grant is one (ServiceAccount, namespace or cluster-wide, apiGroup, resource[/subresource],
 * verb[, resourceName]) of a Role or ClusterRole reached through a RoleBinding or
 * ClusterRoleBinding of the chart. It is used when an audit event of that account, not refused
 * (403), has that verb, group and resource, in the binding's namespace if the binding is a
 * RoleBinding, and on that object if the rule names objects.
 */
final class RbacGrants {
  /**
   * Grants a cluster test cannot reach, keyed as {@link Grant#key()}, each naming why and the code
   * that needs it. Kept as short as the runs allow: an entry the run did use is reported by {@link
   * #listedButUsed}.
   */
  static final Map<String, String> UNREACHED = unreached();

  private static Map<String, String> unreached() {
    Map<String, String> m = new LinkedHashMap<>();
    String finalizers =
        "never a request of its own: with OwnerReferencesPermissionEnforcement the API server"
            + " checks this permission when an object names an owner with blockOwnerDeletion";
    m.put(
        "spiderpool-agent update /pods/finalizers",
        finalizers + " (SpiderEndpoints of stateless Pods, KubernetesEndpointStore.create)");
    m.put(
        "spiderpool-agent update spiderpool.spidernet.io/spidersubnets/finalizers",
        finalizers + " (auto-pools and adopted pools name their SpiderSubnet, docs/subnet.md)");
    m.put(
        "spiderpool-agent get /namespaces",
        "KubernetesPodDirectory.namespace: a fresh read only when the namespace informer has not"
            + " seen the Pod's namespace yet; otherwise the cache answers");
    m.put(
        "spiderpool-agent get batch/jobs",
        "KubernetesPodDirectory.topController: the ADD of a Job's Pod (Job -> CronJob); the"
            + " cluster tests run no Job");
    String subnetWait =
        "the ADD of a SpiderSubnet workload whose auto-pool is not there yet names the application"
            + " it waits for (KubernetesAutoPools, docs/subnet.md); the cluster tests use no"
            + " auto-pools";
    m.put("spiderpool-agent get apps/deployments", subnetWait);
    m.put("spiderpool-agent get apps/daemonsets", subnetWait);
    m.put("spiderpool-agent get batch/cronjobs", subnetWait);
    m.put(
        "spiderpool-agent create spiderpool.spidernet.io/spiderippools",
        "auto-pools: made by the role (AppReconciler) or, for a third-party controller's"
            + " application, on the ADD path (KubernetesAutoPools); no auto-pool in the cluster"
            + " tests");
    m.put(
        "spiderpool-agent delete spiderpool.spidernet.io/spiderippools",
        "the role reclaims an auto-pool whose application is gone (AutoPoolReclaimer)");
    m.put(
        "spiderpool-agent patch spiderpool.spidernet.io/spiderippools",
        "PoolReconciler.acknowledgeRequest marks an operator's `spiderpool gc run` served (the"
            + " gc-done annotation); the cluster tests run no gc request, ChartRbacIT sends it");
    m.put(
        "spiderpool-agent delete spiderpool.spidernet.io/spidersubnets",
        "SubnetReconciler.deleting re-issues a subnet's deletion in the foreground when its pools"
            + " name it as owner; the cluster tests delete no subnet");
    m.put(
        "spiderpool-agent update spiderpool.spidernet.io/spidersubnets",
        "SubnetReconciler.settle adds the finalizer to a subnet the mutating webhook did not"
            + " (webhooks off) and removes it once the subnet is deleted; in the cluster tests the"
            + " webhook adds it (core.admission.Mutator) and no subnet is deleted");
    return m;
  }

  /** One permission of one ServiceAccount. {@code namespace} null: cluster-wide. */
  record Grant(
      String serviceAccount,
      String namespace,
      String apiGroup,
      String resource,
      String verb,
      String resourceName,
      String source) {
    /** "account verb group/resource[ name]" — the form {@link #UNREACHED} is keyed by. */
    String key() {
      return serviceAccount
          + " "
          + verb
          + " "
          + apiGroup
          + "/"
          + resource
          + (resourceName == null ? "" : " " + resourceName);
    }

    boolean usedBy(JsonNode e, String accountPrefix) {
      if (!e.path("user").path("username").asText().equals(accountPrefix + serviceAccount)
          || e.path("responseStatus").path("code").asInt() == 403) {
        return false;
      }
      JsonNode o = e.path("objectRef");
      String sub = o.path("subresource").asText();
      String res = o.path("resource").asText() + (sub.isEmpty() ? "" : "/" + sub);
      return matches(verb, e.path("verb").asText())
          && matches(apiGroup, o.path("apiGroup").asText())
          && matches(resource, res)
          && (namespace == null || namespace.equals(o.path("namespace").asText()))
          && (resourceName == null || resourceName.equals(o.path("name").asText()));
    }

    private static boolean matches(String granted, String requested) {
      return granted.equals("*") || granted.equals(requested);
    }
  }

  private RbacGrants() {}

  /**
   * Every grant to a ServiceAccount of {@code namespace} in the rendered manifests {@code docs}
   * (helm template output, parsed).
   */
  static List<Grant> of(List<JsonNode> docs, String namespace) {
    Map<String, JsonNode> clusterRoles = new HashMap<>();
    Map<String, JsonNode> roles = new HashMap<>(); // "ns/name"
    for (JsonNode d : docs) {
      String kind = d.path("kind").asText();
      String name = d.path("metadata").path("name").asText();
      if (kind.equals("ClusterRole")) {
        clusterRoles.put(name, d);
      } else if (kind.equals("Role")) {
        roles.put(d.path("metadata").path("namespace").asText(namespace) + "/" + name, d);
      }
    }
    List<Grant> out = new ArrayList<>();
    for (JsonNode b : docs) {
      String kind = b.path("kind").asText();
      if (!kind.equals("ClusterRoleBinding") && !kind.equals("RoleBinding")) {
        continue;
      }
      String bindingNs =
          kind.equals("RoleBinding")
              ? b.path("metadata").path("namespace").asText(namespace)
              : null;
      JsonNode ref = b.path("roleRef");
      JsonNode role =
          ref.path("kind").asText().equals("ClusterRole")
              ? clusterRoles.get(ref.path("name").asText())
              : roles.get(bindingNs + "/" + ref.path("name").asText());
      if (role == null) {
        throw new AssertionError(
            kind
                + " "
                + b.path("metadata").path("name").asText()
                + " binds "
                + ref
                + ", which the chart does not render");
      }
      String source = ref.path("kind").asText() + " " + ref.path("name").asText();
      for (JsonNode subject : b.path("subjects")) {
        if (!subject.path("kind").asText().equals("ServiceAccount")
            || !subject
                .path("namespace")
                .asText(bindingNs == null ? "" : bindingNs)
                .equals(namespace)) {
          continue;
        }
        String account = subject.path("name").asText();
        for (JsonNode rule : role.path("rules")) {
          if (rule.has("nonResourceURLs")) {
            throw new AssertionError(source + " grants non-resource URLs, which no code uses");
          }
          List<String> names = strings(rule.path("resourceNames"));
          if (names.isEmpty()) {
            names = Collections.singletonList(null);
          }
          for (String group : strings(rule.path("apiGroups"))) {
            for (String resource : strings(rule.path("resources"))) {
              for (String verb : strings(rule.path("verbs"))) {
                for (String n : names) {
                  out.add(new Grant(account, bindingNs, group, resource, verb, n, source));
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  /**
   * The grants neither used by an event of {@code events} (ServiceAccounts of {@code namespace})
   * nor listed in {@code unreached}, as "key (source)", sorted.
   */
  static Set<String> unexplained(
      List<Grant> grants, List<JsonNode> events, String namespace, Map<String, String> unreached) {
    String prefix = "system:serviceaccount:" + namespace + ":";
    Set<String> out = new TreeSet<>();
    for (Grant g : grants) {
      if (unreached.containsKey(g.key())) {
        continue;
      }
      if (events.stream().noneMatch(e -> g.usedBy(e, prefix))) {
        out.add(g.key() + " (" + g.source() + ")");
      }
    }
    return out;
  }

  /**
   * Entries of {@code unreached} that name no grant of the chart any more, or that the run did use:
   * the list is to shrink with them, so the test that calls this asserts it is empty.
   */
  static Map<String, String> listedButUsed(
      List<Grant> grants, List<JsonNode> events, String namespace, Map<String, String> unreached) {
    String prefix = "system:serviceaccount:" + namespace + ":";
    Map<String, String> out = new TreeMap<>();
    for (String key : unreached.keySet()) {
      List<Grant> named = grants.stream().filter(g -> g.key().equals(key)).toList();
      if (named.isEmpty()) {
        out.put(key, "the chart grants no such permission");
      } else if (named.stream().anyMatch(g -> events.stream().anyMatch(e -> g.usedBy(e, prefix)))) {
        out.put(key, "used in this run");
      }
    }
    return out;
  }
}
