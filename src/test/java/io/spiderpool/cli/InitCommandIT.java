// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code spiderpool init}'s create-unless-present loop against a real API server. The control plane
 * is shared by the whole run and a pool with {@code spec.default: true} would become every later
 * test's cluster default, so everything made here is removed afterwards.
 */
@ExtendWith(ControlPlaneExtension.class)
class InitCommandIT {

  @AfterEach
  void removeWhatWasMade(KubernetesClient client) {
    for (String name : List.of("init-it-v4", "Not_A_Name")) {
      var pool = client.resources(SpiderIPPool.class).withName(name);
      if (pool.get() != null) {
        pool.edit(
            p -> {
              p.getMetadata().setFinalizers(null);
              return p;
            });
        pool.withTimeout(30, TimeUnit.SECONDS).delete();
      }
    }
    var subnet = client.resources(SpiderSubnet.class).withName("init-it-v4-subnet");
    if (subnet.get() != null) {
      subnet.edit(
          s -> {
            s.getMetadata().setFinalizers(null);
            return s;
          });
      subnet.withTimeout(30, TimeUnit.SECONDS).delete();
    }
  }

  @Test
  void createsSubnetThenDefaultPoolOnceAndLeavesThemAloneAfterwards(KubernetesClient client) {
    DefaultPoolSpec spec =
        new DefaultPoolSpec(
            4,
            "init-it-v4",
            "init-it-v4-subnet",
            "10.61.0.0/24",
            List.of("10.61.0.10-10.61.0.20"),
            "10.61.0.1");
    StringWriter first = new StringWriter();
    run(client, first, spec);
    assertThat(first.toString())
        .contains("SpiderSubnet init-it-v4-subnet created", "SpiderIPPool init-it-v4 created");
    SpiderIPPool pool = client.resources(SpiderIPPool.class).withName("init-it-v4").get();
    assertThat(pool.getSpec().getDefault()).isTrue();
    assertThat(pool.getSpec().getIpVersion()).isEqualTo(4L);
    assertThat(pool.getSpec().getIps()).containsExactly("10.61.0.10-10.61.0.20");
    assertThat(pool.getSpec().getGateway()).isEqualTo("10.61.0.1");
    assertThat(
            client
                .resources(SpiderSubnet.class)
                .withName("init-it-v4-subnet")
                .get()
                .getSpec()
                .getSubnet())
        .isEqualTo("10.61.0.0/24");

    // an administrator changes the pool; a second run (helm upgrade) must not undo it
    pool.getSpec().setIps(List.of("10.61.0.10-10.61.0.30"));
    client.resource(pool).update();
    StringWriter second = new StringWriter();
    run(client, second, spec);
    assertThat(second.toString())
        .contains(
            "SpiderSubnet init-it-v4-subnet exists; left unchanged",
            "SpiderIPPool init-it-v4 exists; left unchanged");
    assertThat(client.resources(SpiderIPPool.class).withName("init-it-v4").get().getSpec().getIps())
        .containsExactly("10.61.0.10-10.61.0.30");
  }

  @Test
  void aRefusalEndsAtOnceWhileServerTroubleIsRetried(KubernetesClient client) {
    // a name the API server refuses (422): an answer, not a reason to wait for the timeout
    DefaultPoolSpec bad =
        new DefaultPoolSpec(4, "Not_A_Name", null, "10.62.0.0/24", List.of(), null);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> run(client, new StringWriter(), bad))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("cannot create SpiderIPPool Not_A_Name");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    assertThat(
            InitCommand.DefaultPools.retryable(
                new KubernetesClientException("webhook down", 500, null)))
        .isTrue();
    assertThat(InitCommand.DefaultPools.retryable(new KubernetesClientException("no connection")))
        .isTrue();
    assertThat(
            InitCommand.DefaultPools.retryable(new KubernetesClientException("denied", 403, null)))
        .isFalse();
  }

  private static void run(KubernetesClient client, StringWriter out, DefaultPoolSpec spec) {
    new InitCommand.DefaultPools(
            client, System.nanoTime() + Duration.ofSeconds(60).toNanos(), new PrintWriter(out))
        .ensureAll(List.of(spec));
  }
}
