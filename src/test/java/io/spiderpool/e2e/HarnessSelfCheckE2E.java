// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.k8s.api.IPAllocationDetail;
import io.spiderpool.k8s.api.PodIPAllocation;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderEndpointStatus;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.CniResult;
import io.spiderpool.testing.e2e.CniRuntime;
import io.spiderpool.testing.e2e.CniRuntime.Attachment;
import io.spiderpool.testing.e2e.CniRuntime.PodRef;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.E2ePreconditions;
import io.spiderpool.testing.e2e.HostLinks;
import io.spiderpool.testing.e2e.KernelView;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.NetNs;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.SpiderpoolBinary;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the harness itself, without Spiderpool's daemon or plugin: namespaces and links are made
 * and removed, Debian's macvlan and bridge plugins driven by {@link CniRuntime} with host-local
 * IPAM configure exactly their result inside the namespace, the cluster fixtures create what the
 * engine will read, and {@link PoolConsistency} accepts a consistent state and names the
 * inconsistencies of a broken one. If this class fails, the other E2E failures mean nothing.
 */
@ExtendWith(ControlPlaneExtension.class)
class HarnessSelfCheckE2E {
  private static HostLinks links;
  private static final CniRuntime RUNTIME =
      new CniRuntime(List.of(CniRuntime.DEBIAN_PLUGINS), Duration.ofSeconds(30));
  private static final PodRef POD =
      new PodRef("default", "self-check", "00000000-0000-0000-0000-000000000001");

  @BeforeAll
  static void machine() {
    E2ePreconditions.require();
    links = HostLinks.create();
  }

  @AfterAll
  static void cleanUp() {
    if (links != null) {
      links.close();
    }
    assertThat(HostLinks.exists(HostLinks.MASTER)).isFalse();
    assertThat(HostLinks.exists(HostLinks.BRIDGE)).isFalse();
    assertThat(NetNs.existing("sp-e2e-self")).isEmpty();
  }

  @Test
  void namespacesComeAndGo() {
    try (NetNs ns = NetNs.create("sp-e2e-self-a")) {
      assertThat(NetNs.existing("sp-e2e-self-")).contains("sp-e2e-self-a");
      assertThat(ns.links()).containsExactly("lo");
      assertThat(ns.addresses("lo")).isEmpty(); // 127.0.0.1 is host scope, not global
    }
    assertThat(NetNs.existing("sp-e2e-self-")).doesNotContain("sp-e2e-self-a");
  }

  @Test
  void macvlanWithHostLocalConfiguresItsResult(@TempDir Path data) {
    NetConf conf =
        NetConf.macvlan(
            "1.0.0",
            "self-macvlan",
            HostLinks.MASTER,
            NetConf.hostLocalIpam(data, List.of("10.250.0.0/24"), Arrays.asList("10.250.0.1")));
    addCheckDel(conf, "sp-e2e-self-m", List.of(4));
  }

  @Test
  void bridgeWithHostLocalDualStackConfiguresItsResult(@TempDir Path data) {
    NetConf conf =
        NetConf.bridge(
            "1.0.0",
            "self-bridge",
            HostLinks.BRIDGE,
            NetConf.hostLocalIpam(
                data,
                List.of("10.251.0.0/24", "fd00:e2e:251::/64"),
                List.of("10.251.0.1", "fd00:e2e:251::1")));
    addCheckDel(conf, "sp-e2e-self-b", List.of(4, 6));
  }

  @Test
  void macvlanIpv6Only(@TempDir Path data) {
    NetConf conf =
        NetConf.macvlan(
            "0.4.0",
            "self-macvlan6",
            HostLinks.MASTER,
            NetConf.hostLocalIpam(data, List.of("fd00:e2e:252::/64"), List.of("fd00:e2e:252::1")));
    addCheckDel(conf, "sp-e2e-self-m6", List.of(6));
  }

  private static void addCheckDel(NetConf conf, String nsName, List<Integer> families) {
    try (NetNs ns = NetNs.create(nsName)) {
      Attachment a = new Attachment("cid-" + nsName, ns, "eth0", POD);
      Command.Outcome add = RUNTIME.add(a, conf);
      assertThat(add.ok()).as(add.describe()).isTrue();
      CniResult result = CniResult.parse(add.stdout());
      for (int f : families) {
        assertThat(result.addresses(f)).as("IPv%d in %s", f, add.stdout()).hasSize(1);
      }
      assertThat(ns.links()).contains("eth0");
      KernelView.assertMatches(ns, "eth0", result);

      Command.Outcome check = RUNTIME.check(a, conf, add.stdout());
      assertThat(check.ok()).as(check.describe()).isTrue();
      Command.Outcome del = RUNTIME.del(a, conf, add.stdout());
      assertThat(del.ok()).as(del.describe()).isTrue();
      assertThat(ns.links()).doesNotContain("eth0");
      Command.Outcome again = RUNTIME.del(a, conf, add.stdout());
      assertThat(again.ok()).as("a second DEL must succeed: " + again.describe()).isTrue();
    }
  }

  @Test
  void pluginErrorsAreParsed() {
    try (NetNs ns = NetNs.create("sp-e2e-self-e")) {
      Attachment a = new Attachment("cid-err", ns, "eth0", POD);
      NetConf conf =
          NetConf.macvlan(
              "1.0.0",
              "self-err",
              "spe2e-absent",
              NetConf.hostLocalIpam(
                  Path.of("/nonexistent"), List.of("10.253.0.0/24"), Arrays.asList((String) null)));
      Command.Outcome add = RUNTIME.add(a, conf);
      assertThat(add.ok()).isFalse();
      CniResult.Error e = CniResult.Error.parse(add.stdout());
      assertThat(e.msg()).as(add.describe()).contains("not found"); // the master link
      Command.Outcome version = RUNTIME.version("macvlan", "1.0.0");
      assertThat(version.stdout()).contains("supportedVersions");
    }
  }

  @Test
  void debianPluginsExecSpiderpoolFromCniPathWithTheRuntimeEnvironment(@TempDir Path tmp)
      throws IOException {
    // a stand-in 'spiderpool' that records what it was given and fails like a busy agent
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path fake = bin.resolve("spiderpool");
    Files.writeString(
        fake,
        "#!/bin/sh\nenv | grep '^CNI_' > "
            + tmp.resolve("env.txt")
            + "\ncat > "
            + tmp.resolve("stdin.json")
            + "\necho '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"stand-in says later\"}'\nexit 1\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    CniRuntime rt = new CniRuntime(List.of(bin, CniRuntime.DEBIAN_PLUGINS), Duration.ofSeconds(30));
    try (NetNs ns = NetNs.create("sp-e2e-self-d")) {
      NetConf conf =
          NetConf.macvlan(
              "1.0.0",
              "self-delegate",
              HostLinks.MASTER,
              NetConf.spiderpoolIpam(
                  tmp.resolve("agent.sock"), List.of("p4"), List.of(), false, null));
      Command.Outcome add = rt.add(new Attachment("cid-d", ns, "eth0", POD), conf);
      assertThat(add.ok()).as(add.describe()).isFalse();
      CniResult.Error e = CniResult.Error.parse(add.stdout());
      assertThat(e.code()).as(add.describe()).isEqualTo(11);
      assertThat(e.msg()).isEqualTo("stand-in says later");
      // Debian's macvlan 1.1.1 leaves its link behind when the IPAM fails; a runtime drops the
      // whole sandbox namespace after a failed ADD, so tests must not assert on it either
      assertThat(Files.readAllLines(tmp.resolve("env.txt")))
          .contains(
              "CNI_COMMAND=ADD",
              "CNI_IFNAME=eth0",
              "CNI_CONTAINERID=cid-d",
              "CNI_NETNS=" + ns.path(),
              "CNI_ARGS=" + new Attachment("cid-d", ns, "eth0", POD).cniArgs());
      String stdin = Files.readString(tmp.resolve("stdin.json"));
      assertThat(stdin)
          .contains(
              "\"type\":\"spiderpool\"",
              "\"ipam_unix_socket_path\":\"" + tmp.resolve("agent.sock") + "\"",
              "\"default_ipv4_ippool\":[\"p4\"]",
              "\"name\":\"self-delegate\"");
    }
  }

  @Test
  void theLauncherRunsThisBuildsPlugin(@TempDir Path tmp) {
    Path bin = SpiderpoolBinary.installPlugin(tmp.resolve("bin"));
    CniRuntime rt = new CniRuntime(List.of(bin, CniRuntime.DEBIAN_PLUGINS), Duration.ofSeconds(60));
    assertThat(rt.find("spiderpool")).isEqualTo(bin.resolve("spiderpool"));
    assertThat(rt.find("macvlan")).isEqualTo(CniRuntime.DEBIAN_PLUGINS.resolve("macvlan"));
    Command.Outcome v = rt.version("spiderpool", "1.0.0");
    assertThat(v.ok()).as(v.describe()).isTrue();
    assertThat(v.stdout()).contains("supportedVersions", "1.0.0");
  }

  @Test
  void fixturesAreWhatTheEngineReads(KubernetesClient client) {
    try (ClusterFixtures fx = new ClusterFixtures(client)) {
      fx.node("self-node", Map.of("zone", "a"));
      fx.namespace(
          "self-check",
          Map.of("team", "x"),
          Map.of("ipam.spidernet.io/default-ipv4-ippool", "[\"p1\"]"));
      StatefulSet sts = fx.statefulSet("self-check", "web", 2);
      Pod p =
          fx.createRunning(
              ClusterFixtures.pod("self-check", "web-0", "self-node")
                  .label("app", "web")
                  .annotation("ipam.spidernet.io/ippool", "{\"ipv4\":[\"p1\"]}")
                  .controlledBy(sts));
      Pod read = client.pods().inNamespace("self-check").withName("web-0").get();
      assertThat(read.getSpec().getNodeName()).isEqualTo("self-node");
      assertThat(read.getStatus().getPhase()).isEqualTo("Running");
      assertThat(read.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(sts.getMetadata().getUid()));
      assertThat(client.namespaces().withName("self-check").get().getMetadata().getAnnotations())
          .containsKey("ipam.spidernet.io/default-ipv4-ippool");
      fx.deleteNow(p);
      assertThat(client.pods().inNamespace("self-check").withName("web-0").get()).isNull();
    }
  }

  @Test
  void consistencyCheckerSeesBothDirections(KubernetesClient client) {
    try (ClusterFixtures fx = new ClusterFixtures(client)) {
      fx.namespace("self-pc", Map.of(), Map.of());
      SpiderIPPool pool =
          fx.pool(
              "self-pc-v4", 4, "10.254.0.0/24", List.of("10.254.0.10-10.254.0.20"), null, s -> {});
      SpiderIPPoolStatus st = new SpiderIPPoolStatus();
      st.setAllocatedIPs(
          "{\"10.254.0.10\":{\"pod\":\"self-pc/a\",\"podUid\":\"ua\"},"
              + "\"10.254.0.11\":{\"pod\":\"self-pc/b\",\"podUid\":\"ub\"}}");
      st.setAllocatedIPCount(2L);
      pool.setStatus(st);
      client.resource(pool).updateStatus();
      endpoint(client, "a", "ua", "10.254.0.10/24");

      PoolConsistency pc = new PoolConsistency(client);
      List<String> v =
          pc.violations(
              List.of("self-pc-v4"),
              List.of("self-pc"),
              List.of(
                  new PoolConsistency.Observed("self-pc", "a", "ua", "10.254.0.10"),
                  new PoolConsistency.Observed("self-pc", "c", "uc", "10.254.0.12")));
      assertThat(v)
          .hasSize(2)
          .anyMatch(s -> s.contains("10.254.0.11") && s.contains("no SpiderEndpoint"))
          .anyMatch(s -> s.contains("self-pc/c") && s.contains("no pool records"));

      endpoint(client, "b", "ub", "10.254.0.11/24");
      assertThat(
              pc.violations(
                  List.of("self-pc-v4"),
                  List.of("self-pc"),
                  List.of(new PoolConsistency.Observed("self-pc", "a", "ua", "10.254.0.10"))))
          .isEmpty();
      client.resources(SpiderEndpoint.class).inNamespace("self-pc").delete();
    }
  }

  private static void endpoint(KubernetesClient client, String pod, String uid, String ip) {
    SpiderEndpoint e = new SpiderEndpoint();
    e.getMetadata().setNamespace("self-pc");
    e.getMetadata().setName(pod);
    IPAllocationDetail d = new IPAllocationDetail();
    d.setInterface("eth0");
    d.setIpv4(ip);
    d.setIpv4Pool("self-pc-v4");
    PodIPAllocation cur = new PodIPAllocation();
    cur.setUid(uid);
    cur.setNode("self-node");
    cur.setIps(List.of(d));
    SpiderEndpointStatus st = new SpiderEndpointStatus();
    st.setCurrent(cur);
    st.setOwnerControllerType("Pod");
    st.setOwnerControllerName(pod);
    e.setStatus(st);
    client.resource(e).create();
  }
}
