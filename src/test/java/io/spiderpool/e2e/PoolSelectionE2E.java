// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.CniResult;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.KernelView;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.PodSandbox;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.Records;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which pool a Pod's address comes from, observed through the real plugins: two NICs from the
 * {@code ippools} annotation; the precedence pod annotation > namespace annotation > CNI config
 * default > cluster default pool; node, namespace and pod affinity; an exhausted pool named in the
 * runtime's error; excluded and reserved addresses never handed out.
 */
@ExtendWith(ControlPlaneExtension.class)
class PoolSelectionE2E {
  private static TwoNodes cluster;
  private static ClusterFixtures fx;
  private static Records records;
  private static final List<PodSandbox> SANDBOXES = new ArrayList<>();

  @BeforeAll
  static void cluster(LocalControlPlane cp) {
    cluster = TwoNodes.start(cp);
    fx = new ClusterFixtures(cp.client());
    records = new Records(cp.client());
  }

  @AfterAll
  static void stop() {
    SANDBOXES.forEach(PodSandbox::close);
    if (fx != null) {
      fx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static PodSandbox sandbox(Pod pod) {
    PodSandbox sb = PodSandbox.of(pod, cluster.runtime());
    SANDBOXES.add(sb);
    return sb;
  }

  private static String v4(CniResult r) {
    assertThat(r.addresses(4)).as("one IPv4 address in %s", r).hasSize(1);
    return r.addresses(4).get(0).split("/")[0];
  }

  @Test
  void twoNicsFromTheIppoolsAnnotationGetOneAddressEachFromTheirPools() {
    fx.namespace("e2e-nics", Map.of(), Map.of());
    fx.pool("nics-eth0", 4, "10.62.0.0/24", List.of("10.62.0.10-10.62.0.20"), "10.62.0.1", s -> {});
    fx.pool("nics-net1", 4, "10.63.0.0/24", List.of("10.63.0.10-10.63.0.20"), null, s -> {});
    fx.pool("nics-net1-v6", 6, "fd00:63::/64", List.of("fd00:63::10-fd00:63::20"), null, s -> {});
    Pod pod =
        fx.createRunning(
            ClusterFixtures.pod("e2e-nics", "two-nics", "node-a")
                .annotation(
                    "ipam.spidernet.io/ippools",
                    "[{\"interface\":\"eth0\",\"ipv4\":[\"nics-eth0\"]},"
                        + "{\"interface\":\"net1\",\"ipv4\":[\"nics-net1\"],\"ipv6\":[\"nics-net1-v6\"]}]"));
    PodSandbox sb = sandbox(pod);
    NetConf eth0 = cluster.macvlan("node-a", List.of(), List.of());
    NetConf net1 = cluster.bridge("node-a", List.of(), List.of());
    CniResult r0 = sb.addOk(eth0, "eth0");
    CniResult r1 = sb.addOk(net1, "net1");

    assertThat(v4(r0)).startsWith("10.62.0.");
    assertThat(v4(r1)).startsWith("10.63.0.");
    assertThat(r1.addresses(6)).singleElement().asString().startsWith("fd00:63::");
    assertThat(r0.addresses(6)).isEmpty();
    KernelView.assertMatches(sb.netns(), "eth0", r0);
    KernelView.assertMatches(sb.netns(), "net1", r1);
    records.assertRecorded(pod, "eth0", r0, "nics-eth0", null);
    records.assertRecorded(pod, "net1", r1, "nics-net1", "nics-net1-v6");
    assertThat(
            new PoolConsistency(cluster.client())
                .violations(
                    List.of("nics-eth0", "nics-net1", "nics-net1-v6"),
                    List.of("e2e-nics"),
                    List.of()))
        .isEmpty();
  }

  @Test
  void podAnnotationBeatsNamespaceBeatsCniConfigBeatsClusterDefault() {
    fx.pool("prec-pod", 4, "10.64.1.0/24", List.of("10.64.1.10-10.64.1.20"), null, s -> {});
    fx.pool("prec-ns", 4, "10.64.2.0/24", List.of("10.64.2.10-10.64.2.20"), null, s -> {});
    fx.pool("prec-cni", 4, "10.64.3.0/24", List.of("10.64.3.10-10.64.3.20"), null, s -> {});
    fx.pool(
        "prec-default",
        4,
        "10.64.4.0/24",
        List.of("10.64.4.10-10.64.4.20"),
        null,
        s -> s.setDefault(true));
    fx.namespace(
        "e2e-prec-ns", Map.of(), Map.of("ipam.spidernet.io/default-ipv4-ippool", "[\"prec-ns\"]"));
    fx.namespace("e2e-prec-plain", Map.of(), Map.of());
    NetConf withCniDefault = cluster.bridge("node-b", List.of("prec-cni"), List.of());
    NetConf withoutCniDefault = cluster.bridge("node-b", List.of(), List.of());
    try {
      Pod annotated =
          fx.createRunning(
              ClusterFixtures.pod("e2e-prec-ns", "annotated", "node-b")
                  .annotation("ipam.spidernet.io/ippool", "{\"ipv4\":[\"prec-pod\"]}"));
      Pod inNs = fx.createRunning(ClusterFixtures.pod("e2e-prec-ns", "in-ns", "node-b"));
      Pod plain = fx.createRunning(ClusterFixtures.pod("e2e-prec-plain", "plain", "node-b"));
      Pod bare = fx.createRunning(ClusterFixtures.pod("e2e-prec-plain", "bare", "node-b"));

      assertThat(v4(sandbox(annotated).addOk(withCniDefault, "eth0")))
          .as("pod annotation")
          .startsWith("10.64.1.");
      assertThat(v4(sandbox(inNs).addOk(withCniDefault, "eth0")))
          .as("namespace annotation")
          .startsWith("10.64.2.");
      assertThat(v4(sandbox(plain).addOk(withCniDefault, "eth0")))
          .as("CNI config")
          .startsWith("10.64.3.");
      assertThat(v4(sandbox(bare).addOk(withoutCniDefault, "eth0")))
          .as("cluster default")
          .startsWith("10.64.4.");
    } finally {
      // other classes must not see a cluster-default pool
      cluster
          .client()
          .resources(SpiderIPPool.class)
          .withName("prec-default")
          .edit(
              p -> {
                p.getSpec().setDefault(false);
                return p;
              });
    }
  }

  @Test
  void poolsWhoseAffinityDoesNotMatchAreNotUsed() {
    fx.namespace("e2e-aff", Map.of("team", "red"), Map.of());
    LabelSelector zoneB = new LabelSelector(null, Map.of("zone", "b"));
    LabelSelector teamBlue = new LabelSelector(null, Map.of("team", "blue"));
    LabelSelector appDb = new LabelSelector(null, Map.of("app", "db"));
    fx.pool(
        "aff-nodename",
        4,
        "10.65.1.0/24",
        List.of("10.65.1.10"),
        null,
        s -> s.setNodeName(List.of("node-b")));
    fx.pool(
        "aff-nodesel",
        4,
        "10.65.2.0/24",
        List.of("10.65.2.10"),
        null,
        s -> s.setNodeAffinity(zoneB));
    fx.pool(
        "aff-nsname",
        4,
        "10.65.3.0/24",
        List.of("10.65.3.10"),
        null,
        s -> s.setNamespaceName(List.of("other")));
    fx.pool(
        "aff-nssel",
        4,
        "10.65.4.0/24",
        List.of("10.65.4.10"),
        null,
        s -> s.setNamespaceAffinity(teamBlue));
    fx.pool(
        "aff-pod", 4, "10.65.5.0/24", List.of("10.65.5.10"), null, s -> s.setPodAffinity(appDb));
    fx.pool("aff-open", 4, "10.65.9.0/24", List.of("10.65.9.10-10.65.9.20"), null, s -> {});
    String excluded = "[\"aff-nodename\",\"aff-nodesel\",\"aff-nsname\",\"aff-nssel\",\"aff-pod\"";
    NetConf conf = cluster.macvlan("node-a", List.of(), List.of());

    Pod web =
        fx.createRunning(
            ClusterFixtures.pod("e2e-aff", "web", "node-a")
                .label("app", "web")
                .annotation(
                    "ipam.spidernet.io/ippool", "{\"ipv4\":" + excluded + ",\"aff-open\"]}"));
    assertThat(v4(sandbox(web).addOk(conf, "eth0"))).startsWith("10.65.9.");

    Pod only =
        fx.createRunning(
            ClusterFixtures.pod("e2e-aff", "only-mismatches", "node-a")
                .label("app", "web")
                .annotation("ipam.spidernet.io/ippool", "{\"ipv4\":" + excluded + "]}"));
    Command.Outcome add = sandbox(only).add(conf, "eth0");
    assertThat(add.ok()).as("no pool matches: " + add.describe()).isFalse();
    for (String p : List.of("aff-nodename", "aff-nodesel", "aff-nsname", "aff-nssel", "aff-pod")) {
      assertThat(records.of(p)).as("pool %s must stay unused", p).isEmpty();
    }

    // the same affinities, matched, are used: node-b, zone=b, namespace e2e-aff, team=red, app=db
    fx.pool(
        "aff-nodename-ok",
        4,
        "10.65.11.0/24",
        List.of("10.65.11.10"),
        null,
        s -> s.setNodeName(List.of("node-b")));
    fx.pool(
        "aff-nodesel-ok",
        4,
        "10.65.12.0/24",
        List.of("10.65.12.10"),
        null,
        s -> s.setNodeAffinity(zoneB));
    fx.pool(
        "aff-nsname-ok",
        4,
        "10.65.13.0/24",
        List.of("10.65.13.10"),
        null,
        s -> s.setNamespaceName(List.of("e2e-aff")));
    fx.pool(
        "aff-nssel-ok",
        4,
        "10.65.14.0/24",
        List.of("10.65.14.10"),
        null,
        s -> s.setNamespaceAffinity(new LabelSelector(null, Map.of("team", "red"))));
    fx.pool(
        "aff-pod-ok",
        4,
        "10.65.15.0/24",
        List.of("10.65.15.10"),
        null,
        s -> s.setPodAffinity(appDb));
    NetConf onB = cluster.macvlan("node-b", List.of(), List.of());
    int i = 0;
    for (String p :
        List.of(
            "aff-nodename-ok", "aff-nodesel-ok", "aff-nsname-ok", "aff-nssel-ok", "aff-pod-ok")) {
      Pod db =
          fx.createRunning(
              ClusterFixtures.pod("e2e-aff", "db-" + i++, "node-b")
                  .label("app", "db")
                  .annotation("ipam.spidernet.io/ippool", "{\"ipv4\":[\"" + p + "\"]}"));
      CniResult r = sandbox(db).addOk(onB, "eth0");
      records.assertRecorded(db, "eth0", r, p, null);
    }
  }

  @Test
  void anExhaustedPoolFailsTheAddWithItsName() {
    fx.namespace("e2e-exh", Map.of(), Map.of());
    fx.pool("exh-two", 4, "10.66.0.0/24", List.of("10.66.0.10-10.66.0.11"), null, s -> {});
    NetConf conf = cluster.bridge("node-a", List.of("exh-two"), List.of());
    for (int i = 0; i < 2; i++) {
      sandbox(fx.createRunning(ClusterFixtures.pod("e2e-exh", "p" + i, "node-a")))
          .addOk(conf, "eth0");
    }
    PodSandbox third = sandbox(fx.createRunning(ClusterFixtures.pod("e2e-exh", "p2", "node-a")));
    Command.Outcome add = third.add(conf, "eth0");
    assertThat(add.ok()).as(add.describe()).isFalse();
    CniResult.Error e = CniResult.Error.parse(add.stdout());
    assertThat(e.msg() + " " + e.details()).as(add.describe()).contains("exh-two");
    assertThat(records.of("exh-two")).hasSize(2);
  }

  @Test
  void excludedAndReservedAddressesAreNeverHandedOut() {
    fx.namespace("e2e-excl", Map.of(), Map.of());
    fx.pool(
        "excl-v4",
        4,
        "10.67.0.0/24",
        List.of("10.67.0.10-10.67.0.19"),
        null,
        s -> s.setExcludeIPs(List.of("10.67.0.10-10.67.0.13")));
    fx.reservedIps("excl-reserved", 4, List.of("10.67.0.14-10.67.0.16"));
    NetConf conf = cluster.macvlan("node-b", List.of("excl-v4"), List.of());
    Set<String> got = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      got.add(
          v4(
              sandbox(fx.createRunning(ClusterFixtures.pod("e2e-excl", "p" + i, "node-b")))
                  .addOk(conf, "eth0")));
    }
    assertThat(got).containsExactlyInAnyOrder("10.67.0.17", "10.67.0.18", "10.67.0.19");
    Command.Outcome fourth =
        sandbox(fx.createRunning(ClusterFixtures.pod("e2e-excl", "p3", "node-b")))
            .add(conf, "eth0");
    assertThat(fourth.ok()).as("only three addresses are free: " + fourth.describe()).isFalse();
    assertThat(records.of("excl-v4").keySet())
        .containsExactlyInAnyOrder("10.67.0.17", "10.67.0.18", "10.67.0.19");
  }
}
