// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spiderpool.testing.cluster.Helm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RbacGrants} on small manifests and events written here, and on a recorded sample: the
 * chart's rendered {@code templates/rbac.yaml} with the cluster tests' values and the chart's
 * ServiceAccounts' events of one cluster-tier run's audit log (one event per distinct request,
 * object names kept only for Leases and ConfigMaps). docs/install.md, "RBAC, derived from the calls
 * the code makes".
 */
class RbacGrantsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "spiderpool";

  private static final String RENDER =
      String.join(
          "\n",
          "kind: ClusterRole",
          "metadata: {name: agent}",
          "rules:",
          "- apiGroups: ['']",
          "  resources: [pods]",
          "  verbs: [get, watch]",
          "- apiGroups: [spiderpool.spidernet.io]",
          "  resources: [spiderippools/status]",
          "  verbs: [update]",
          "---",
          "kind: ClusterRoleBinding",
          "metadata: {name: agent}",
          "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: agent}",
          "subjects: [{kind: ServiceAccount, name: spiderpool-agent, namespace: spiderpool}]",
          "---",
          "kind: Role",
          "metadata: {name: agent, namespace: spiderpool}",
          "rules:",
          "- apiGroups: [coordination.k8s.io]",
          "  resources: [leases]",
          "  resourceNames: [the-lease]",
          "  verbs: [get]",
          "---",
          "kind: RoleBinding",
          "metadata: {name: agent, namespace: spiderpool}",
          "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: agent}",
          "subjects: [{kind: ServiceAccount, name: spiderpool-agent, namespace: spiderpool}]",
          "");

  private static JsonNode event(
      String account, String verb, String group, String resource, String ns, String name, int code)
      throws IOException {
    String[] res = resource.split("/");
    return JSON.readTree(
        "{\"user\":{\"username\":\"system:serviceaccount:spiderpool:"
            + account
            + "\"},\"verb\":\""
            + verb
            + "\",\"objectRef\":{\"apiGroup\":\""
            + group
            + "\",\"resource\":\""
            + res[0]
            + "\""
            + (res.length > 1 ? ",\"subresource\":\"" + res[1] + "\"" : "")
            + (ns == null ? "" : ",\"namespace\":\"" + ns + "\"")
            + (name == null ? "" : ",\"name\":\"" + name + "\"")
            + "},\"responseStatus\":{\"code\":"
            + code
            + "}}");
  }

  private static List<JsonNode> allUsed() throws IOException {
    List<JsonNode> e = new ArrayList<>();
    e.add(event("spiderpool-agent", "get", "", "pods", "default", "p", 404));
    e.add(event("spiderpool-agent", "watch", "", "pods", null, null, 101));
    e.add(
        event(
            "spiderpool-agent",
            "update",
            "spiderpool.spidernet.io",
            "spiderippools/status",
            null,
            "pool",
            200));
    e.add(event("spiderpool-agent", "get", "coordination.k8s.io", "leases", NS, "the-lease", 200));
    return e;
  }

  private static Set<String> unexplained(List<JsonNode> events) {
    return RbacGrants.unexplained(RbacGrants.of(Helm.parse(RENDER), NS), events, NS, Map.of());
  }

  @Test
  void everyGrantUsedLeavesNothingUnexplained() throws IOException {
    List<RbacGrants.Grant> grants = RbacGrants.of(Helm.parse(RENDER), NS);
    assertThat(grants)
        .extracting(RbacGrants.Grant::key)
        .containsExactlyInAnyOrder(
            "spiderpool-agent get /pods",
            "spiderpool-agent watch /pods",
            "spiderpool-agent update spiderpool.spidernet.io/spiderippools/status",
            "spiderpool-agent get coordination.k8s.io/leases the-lease");
    assertThat(unexplained(allUsed())).isEmpty();
  }

  @Test
  void aGrantNoEventUsesIsReportedWithItsRole() throws IOException {
    List<JsonNode> events = allUsed();
    events.remove(1); // no watch of Pods
    assertThat(unexplained(events))
        .containsExactly("spiderpool-agent watch /pods (ClusterRole agent)");
  }

  @Test
  void refusedRequestsOtherAccountsOtherNamesAndOtherNamespacesDoNotCount() throws IOException {
    List<JsonNode> events = allUsed();
    events.remove(3);
    events.add(
        event("spiderpool-agent", "get", "coordination.k8s.io", "leases", NS, "another", 200));
    events.add(
        event(
            "spiderpool-agent", "get", "coordination.k8s.io", "leases", "other", "the-lease", 200));
    events.add(
        event("spiderpool-init", "get", "coordination.k8s.io", "leases", NS, "the-lease", 200));
    events.add(
        event("spiderpool-agent", "get", "coordination.k8s.io", "leases", NS, "the-lease", 403));
    assertThat(unexplained(events))
        .containsExactly("spiderpool-agent get coordination.k8s.io/leases the-lease (Role agent)");
  }

  @Test
  void aSubresourceIsNotItsParent() throws IOException {
    List<JsonNode> events = allUsed();
    events.remove(2);
    events.add(
        event(
            "spiderpool-agent",
            "update",
            "spiderpool.spidernet.io",
            "spiderippools",
            null,
            "p",
            200));
    assertThat(unexplained(events)).hasSize(1).allMatch(s -> s.contains("spiderippools/status"));
  }

  @Test
  void aListedGrantIsExplainedButAListedGrantThatWasUsedOrIsGoneIsReported() throws IOException {
    List<RbacGrants.Grant> grants = RbacGrants.of(Helm.parse(RENDER), NS);
    List<JsonNode> events = allUsed();
    events.remove(1);
    Map<String, String> listed =
        Map.of(
            "spiderpool-agent watch /pods", "a path the run cannot reach",
            "spiderpool-agent get /pods", "listed, but the run used it",
            "spiderpool-agent delete /pods", "no such grant");
    assertThat(RbacGrants.unexplained(grants, events, NS, listed)).isEmpty();
    assertThat(RbacGrants.listedButUsed(grants, events, NS, listed))
        .containsOnlyKeys("spiderpool-agent get /pods", "spiderpool-agent delete /pods");
  }

  @Test
  void aBindingOfARoleTheChartDoesNotRenderIsAnError() {
    String broken =
        RENDER.replace(
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: agent}",
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing}");
    assertThatThrownBy(() -> RbacGrants.of(Helm.parse(broken), NS)).hasMessageContaining("missing");
  }

  /**
   * The recorded sample: every grant of the chart's rendered RBAC is used by the run or listed with
   * the code path that needs it, and every listed entry is still a grant the run did not use.
   */
  @Test
  void theRecordedRunExplainsEveryGrantOfTheChart() throws IOException {
    List<RbacGrants.Grant> grants =
        RbacGrants.of(Helm.parse(resource("rbac-render-sample.yaml")), NS);
    Path log = Files.createTempFile("audit-sample-", ".jsonl");
    try {
      Files.writeString(log, resource("audit-sample.jsonl"));
      List<JsonNode> events = RbacAudit.read(log, NS, Instant.EPOCH, null).events();
      assertThat(grants).hasSizeGreaterThan(50);
      assertThat(RbacGrants.unexplained(grants, events, NS, RbacGrants.UNREACHED))
          .as("grants neither used in the recorded run nor listed in RbacGrants.UNREACHED")
          .isEmpty();
      assertThat(RbacGrants.listedButUsed(grants, events, NS, RbacGrants.UNREACHED)).isEmpty();
    } finally {
      Files.delete(log);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = RbacGrantsTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
