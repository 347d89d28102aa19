// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.e2e.CniResult;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.KernelView;
import io.spiderpool.testing.e2e.NetConf;
import io.spiderpool.testing.e2e.PodSandbox;
import io.spiderpool.testing.e2e.PoolConsistency;
import io.spiderpool.testing.e2e.Records;
import io.spiderpool.testing.e2e.SpiderpoolBinary;
import io.spiderpool.testing.e2e.TwoNodes;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An address given to a Pod by hand ({@code spiderpool ip allocate --pod NS/NAME --ip X},
 * docs/cli.md) before its sandbox exists is the one the Pod's CNI ADD, through Debian's macvlan
 * plugin and our IPAM plugin, then returns and configures in the Pod's network namespace; {@code
 * spiderpool ip show X} then names the Pod and its node. The command line is the packaged
 * executable, run as a process as an operator runs it.
 */
@ExtendWith(ControlPlaneExtension.class)
class HandAllocatedAddressE2E {
  private static final String NS = "e2e-hand";
  private static final String POOL = "e2e-hand-v4";
  private static final String NODE = "node-b";

  /** Not the lowest free address, so the plain ADD path would not pick it by chance. */
  private static final String X = "10.74.0.57";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TwoNodes cluster;
  private static ClusterFixtures fx;
  private static Records records;
  private static Path kubeconfig;

  @BeforeAll
  static void cluster(LocalControlPlane cp) {
    cluster = TwoNodes.start(cp);
    kubeconfig = cp.kubeconfig().toAbsolutePath();
    fx = new ClusterFixtures(cp.client());
    records = new Records(cp.client());
    fx.namespace(NS, Map.of(), Map.of());
    fx.pool(POOL, 4, "10.74.0.0/24", List.of("10.74.0.10-10.74.0.99"), "10.74.0.1", s -> {});
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

  /** {@code spiderpool ARGS --kubeconfig K} as a process of the packaged application. */
  private static Command.Outcome spiderpool(String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                SpiderpoolBinary.jar().toString()));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    return Command.run(argv, Map.of(), "", Duration.ofSeconds(120));
  }

  private static JsonNode json(Command.Outcome o) {
    try {
      return JSON.readTree(o.stdout());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + o.describe(), e);
    }
  }

  @Test
  void theCniAddOfAPodReturnsTheAddressAllocatedToItByHand() {
    Pod pod = fx.createRunning(ClusterFixtures.pod(NS, "pinned", NODE));
    String uid = pod.getMetadata().getUid();

    Command.Outcome alloc =
        spiderpool("ip", "allocate", "--pod", NS + "/pinned", "--ip", X, "-o", "json");
    assertThat(alloc.exitCode()).as(alloc.describe()).isZero();
    JsonNode a = json(alloc);
    assertThat(a.path("address").asText()).isEqualTo(X + "/24");
    assertThat(a.path("pool").asText()).isEqualTo(POOL);
    assertThat(a.path("podUid").asText()).isEqualTo(uid);
    assertThat(a.path("existing").asBoolean()).isFalse();

    NetConf conf = cluster.macvlan(NODE, List.of(POOL), List.of());
    Pod other = fx.createRunning(ClusterFixtures.pod(NS, "unpinned", NODE));
    try (PodSandbox sb = PodSandbox.of(pod, cluster.runtime());
        PodSandbox control = PodSandbox.of(other, cluster.runtime())) {
      CniResult r = sb.addOk(conf, "eth0");
      assertThat(r.addresses(4)).as("result %s", r).containsExactly(X + "/24");
      assertThat(r.addresses(6)).isEmpty();
      KernelView.assertMatches(sb.netns(), "eth0", r);
      records.assertRecorded(pod, "eth0", r, POOL, null);
      assertThat(records.of(POOL).values())
          .as("the ADD reused the hand-made record instead of adding one")
          .extracting(PoolConsistency.PoolRecord::podUid)
          .containsOnlyOnce(uid);

      // a Pod without a hand-made record gets the pool's next free address, not X
      CniResult c = control.addOk(conf, "eth0");
      assertThat(c.addresses(4)).hasSize(1).doesNotContain(X + "/24");

      Command.Outcome show = spiderpool("ip", "show", X, "-o", "json");
      assertThat(show.exitCode()).as(show.describe()).isZero();
      JsonNode in = json(show).path("pools").get(0);
      assertThat(in).as(show.describe()).isNotNull();
      assertThat(in.path("pool").asText()).isEqualTo(POOL);
      assertThat(in.path("state").asText()).isEqualTo("allocated");
      assertThat(in.path("pod").asText()).isEqualTo(NS + "/pinned");
      assertThat(in.path("podUid").asText()).isEqualTo(uid);
      assertThat(in.path("podExists").asText()).isEqualTo("yes");
      assertThat(in.path("node").asText()).isEqualTo(NODE);
      assertThat(in.path("interfaceName").asText()).isEqualTo("eth0");
      assertThat(in.path("endpoint").asText()).isEqualTo(NS + "/pinned");

      fx.deleteNow(pod);
      fx.deleteNow(other);
      assertThat(sb.del(conf, "eth0").ok()).isTrue();
      assertThat(control.del(conf, "eth0").ok()).isTrue();
      records.assertReleased(pod, List.of(POOL));
      records.assertReleased(other, List.of(POOL));
    }
  }
}
