// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kubelet's path for one interface, through Debian's macvlan and bridge plugins with {@code
 * "ipam": {"type": "spiderpool"}}: ADD configures inside the Pod's namespace exactly the CNI
 * result, which is exactly the pool record and the SpiderEndpoint; IPv4, IPv6, dual stack; DEL of a
 * deleted Pod releases everything and a second DEL succeeds; DEL of a live Pod (sandbox
 * re-creation) keeps the addresses. The CNI 1.1 verbs, which Debian's plugins do not speak, are
 * sent to our plugin directly.
 */
@ExtendWith(ControlPlaneExtension.class)
class IpamPathE2E {
  private static final String NS = "e2e-path";
  private static final String V4 = "e2e-path-v4";
  private static final String V6 = "e2e-path-v6";
  private static final List<String> POOLS = List.of(V4, V6);

  private static TwoNodes cluster;
  private static ClusterFixtures fx;
  private static Records records;

  @BeforeAll
  static void cluster(LocalControlPlane cp) {
    cluster = TwoNodes.start(cp);
    fx = new ClusterFixtures(cp.client());
    records = new Records(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(V4, 4, "10.61.0.0/24", List.of("10.61.0.10-10.61.0.99"), "10.61.0.1", s -> {});
    fx.pool(V6, 6, "fd00:61::/64", List.of("fd00:61::10-fd00:61::99"), "fd00:61::1", s -> {});
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static NetConf conf(String plugin, String node, String families) {
    List<String> v4 = families.contains("4") ? List.of(V4) : List.of();
    List<String> v6 = families.contains("6") ? List.of(V6) : List.of();
    return plugin.equals("macvlan") ? cluster.macvlan(node, v4, v6) : cluster.bridge(node, v4, v6);
  }

  @ParameterizedTest(name = "{0} IPv{2} on {1}")
  @CsvSource({
    "macvlan,node-a,4",
    "macvlan,node-b,6",
    "macvlan,node-a,46",
    "bridge,node-b,4",
    "bridge,node-a,6",
    "bridge,node-b,46"
  })
  void addConfiguresTheResultAndRecordsItDelReleasesIt(
      String plugin, String node, String families) {
    String name = plugin + "-" + node + "-v" + families;
    Pod pod = fx.createRunning(ClusterFixtures.pod(NS, name, node).label("app", name));
    NetConf conf = conf(plugin, node, families);
    try (PodSandbox sb = PodSandbox.of(pod, cluster.runtime())) {
      CniResult r = sb.addOk(conf, "eth0");

      assertThat(r.addresses(4)).as("IPv4 in %s", r).hasSize(families.contains("4") ? 1 : 0);
      assertThat(r.addresses(6)).as("IPv6 in %s", r).hasSize(families.contains("6") ? 1 : 0);
      KernelView.assertMatches(sb.netns(), "eth0", r);
      records.assertRecorded(
          pod, "eth0", r, families.contains("4") ? V4 : null, families.contains("6") ? V6 : null);
      assertThat(
              new PoolConsistency(cluster.client())
                  .violations(POOLS, List.of(NS), observed(pod, r)))
          .isEmpty();

      // a repeated ADD of the same container is idempotent: asked of the IPAM plugin directly, as
      // the main plugin asks it (repeating the main plugin would only collide on the existing eth0)
      Command.Outcome again =
          cluster.runtime().invoke("spiderpool", "ADD", sb.attachment("eth0"), conf.json());
      assertThat(again.ok()).as(again.describe()).isTrue();
      for (String address : r.addresses(4)) {
        assertThat(again.stdout()).contains(address);
      }
      for (String address : r.addresses(6)) {
        assertThat(again.stdout()).contains(address);
      }

      fx.deleteNow(pod);
      Command.Outcome del = sb.del(conf, "eth0");
      assertThat(del.ok()).as(del.describe() + "\n" + cluster.logs()).isTrue();
      records.assertReleased(pod, POOLS);
      assertThat(sb.netns().links()).doesNotContain("eth0");
      Command.Outcome del2 = sb.del(conf, "eth0");
      assertThat(del2.ok()).as("a second DEL must succeed: " + del2.describe()).isTrue();
    }
  }

  @Test
  void delOfALivePodKeepsItsAddresses() {
    Pod pod = fx.createRunning(ClusterFixtures.pod(NS, "live-del", "node-a"));
    NetConf conf = conf("bridge", "node-a", "4");
    try (PodSandbox sb = PodSandbox.of(pod, cluster.runtime())) {
      CniResult r = sb.addOk(conf, "eth0");
      Command.Outcome del = sb.del(conf, "eth0");
      assertThat(del.ok()).as(del.describe()).isTrue();
      // the sandbox is being re-created: the Pod keeps its address
      // (docs/spiderpool-compat.md#release)
      records.assertRecorded(pod, "eth0", r, V4, null);
      CniResult back = sb.addOk(conf, "eth0");
      assertThat(back.addresses(4)).isEqualTo(r.addresses(4));
      fx.deleteNow(pod);
      assertThat(sb.del(conf, "eth0").ok()).isTrue();
      records.assertReleased(pod, POOLS);
    }
  }

  /**
   * A Pod force-deleted and re-created under the same name; the runtime's DEL of the old sandbox
   * (old container ID, old UID) arrives after the new sandbox got its address. That DEL must free
   * nothing of the new Pod: record, endpoint and the address in its namespace stay, CHECK passes,
   * and the next Pod gets another address.
   */
  @Test
  void aLateDelOfTheOldSandboxKeepsTheRecreatedPodsAddress() {
    NetConf conf = conf("macvlan", "node-a", "4");
    Pod first = fx.createRunning(ClusterFixtures.pod(NS, "late-x", "node-a"));
    try (PodSandbox old = PodSandbox.of(first, cluster.runtime())) {
      old.addOk(conf, "eth0");
      fx.deleteNow(first);
      Pod second = fx.createRunning(ClusterFixtures.pod(NS, "late-x", "node-a"));
      try (PodSandbox now = PodSandbox.of(second, cluster.runtime());
          PodSandbox next =
              PodSandbox.of(
                  fx.createRunning(ClusterFixtures.pod(NS, "late-y", "node-a")),
                  cluster.runtime())) {
        CniResult r = now.addOk(conf, "eth0");
        Command.Outcome late = old.del(conf, "eth0");
        assertThat(late.ok()).as(late.describe()).isTrue();
        records.assertRecorded(second, "eth0", r, V4, null);
        KernelView.assertMatches(now.netns(), "eth0", r);
        Command.Outcome check = now.check(conf, "eth0");
        assertThat(check.ok()).as("CHECK of the re-created Pod: " + check.describe()).isTrue();
        CniResult other = next.addOk(conf, "eth0");
        assertThat(other.addresses(4)).doesNotContainAnyElementsOf(r.addresses(4));
        fx.deleteNow(second);
        fx.deleteNow(next.pod());
        assertThat(now.del(conf, "eth0").ok()).isTrue();
        assertThat(next.del(conf, "eth0").ok()).isTrue();
        records.assertReleased(second, POOLS);
      }
    }
  }

  /**
   * The daemons here listen on non-default sockets; a config the plugin cannot read does not say
   * which one, and must still be answered with the decoding error (code 6), not "unreachable".
   */
  @Test
  void anUnreadableConfigIsADecodingErrorWhicheverSocketTheDaemonUses() {
    Pod pod = fx.createRunning(ClusterFixtures.pod(NS, "bad-stdin", "node-b"));
    try (PodSandbox sb = PodSandbox.of(pod, cluster.runtime())) {
      String valid = conf("macvlan", "node-b", "4").json();
      String tooBig =
          valid.substring(0, valid.length() - 1) + ",\"pad\":\"" + "x".repeat(10 << 20) + "\"}";
      for (String stdin : List.of("", "{\"cniVersion\":\"1.0.0\",", tooBig)) {
        Command.Outcome o =
            cluster.runtime().invoke("spiderpool", "ADD", sb.attachment("eth0"), stdin);
        assertThat(o.ok()).isFalse();
        assertThat(CniResult.Error.parse(o.stdout()).code()).as(o.describe()).isEqualTo(6);
      }
      assertThat(records.of(V4).values())
          .extracting(PoolConsistency.PoolRecord::podUid)
          .doesNotContain(pod.getMetadata().getUid());
    }
  }

  @Test
  void statusReportsTheDaemonAndGcReleasesOnlyWhatIsNotValid() {
    NetConf conf = conf("macvlan", "node-b", "4").withCniVersion("1.1.0");
    Command.Outcome status = cluster.runtime().invoke("spiderpool", "STATUS", null, conf.json());
    assertThat(status.ok()).as(status.describe()).isTrue();

    NetConf nowhere =
        conf.withIpam(
            NetConf.spiderpoolIpam(
                Path.of("/tmp/sp-e2e-no-daemon.sock"),
                List.of(V4),
                List.of(),
                false,
                cluster.pluginLog()));
    Command.Outcome down = cluster.runtime().invoke("spiderpool", "STATUS", null, nowhere.json());
    assertThat(down.ok()).as("STATUS without a daemon").isFalse();
    assertThat(CniResult.Error.parse(down.stdout()).code()).as(down.describe()).isEqualTo(50);

    Pod keep = fx.createRunning(ClusterFixtures.pod(NS, "gc-keep", "node-b"));
    Pod gone = fx.createRunning(ClusterFixtures.pod(NS, "gc-gone", "node-b"));
    try (PodSandbox k = PodSandbox.of(keep, cluster.runtime());
        PodSandbox g = PodSandbox.of(gone, cluster.runtime())) {
      NetConf add = conf("macvlan", "node-b", "4");
      CniResult rk = k.addOk(add, "eth0");
      CniResult rg = g.addOk(add, "eth0");
      fx.deleteNow(gone);
      g.netns().close(); // the runtime lost the sandbox without a DEL

      Command.Outcome gc =
          cluster
              .runtime()
              .invoke(
                  "spiderpool",
                  "GC",
                  null,
                  conf.withValidAttachments(List.of(k.attachment("eth0"))).json());
      assertThat(gc.ok()).as(gc.describe()).isTrue();
      records.assertRecorded(keep, "eth0", rk, V4, null);
      assertThat(records.of(V4))
          .as("GC releases the attachment that is not valid any more")
          .doesNotContainKey(rg.addresses(4).get(0).split("/")[0]);
      fx.deleteNow(keep);
      assertThat(k.del(add, "eth0").ok()).isTrue();
    }
  }

  private static List<PoolConsistency.Observed> observed(Pod pod, CniResult r) {
    List<PoolConsistency.Observed> out = new ArrayList<>();
    for (CniResult.Ip ip : r.ips()) {
      out.add(
          new PoolConsistency.Observed(
              pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(),
              pod.getMetadata().getUid(),
              ip.address()));
    }
    return out;
  }
}
