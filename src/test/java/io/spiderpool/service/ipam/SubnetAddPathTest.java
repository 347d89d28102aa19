// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import static io.spiderpool.service.ipam.EngineHarness.NS;
import static io.spiderpool.service.ipam.EngineHarness.add;
import static io.spiderpool.service.ipam.EngineHarness.del;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.annotation.IpNumber;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.TopController;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ADD path of subnet-annotated Pods on in-memory stores (docs/subnet.md#the-add-path): the
 * engine asks {@link AutoPools} for the application's pool per NIC and family, allocates from it,
 * and waits again (within the same budget) when the pool turns out full. The waiting itself is
 * {@code KubernetesAutoPools}, on the real API server in {@code AutoPoolIT}.
 */
class SubnetAddPathTest {
  static final TopController WEB = new TopController("apps/v1", "Deployment", NS, "web", "d-uid");
  static final PodDirectory.OwnerRef WEB_OWNER =
      new PodDirectory.OwnerRef("apps/v1", "Deployment", "web", "d-uid", true);

  /** Answers from a table and records what it was asked. */
  static final class FakeAutoPools implements AutoPools {
    final Map<String, Map<IpFamily, String>> byNic = new HashMap<>();
    final List<AutoPoolRequest> asked = new ArrayList<>();
    final List<String> waitedForRoom = new ArrayList<>();
    Runnable onRoomWait =
        () -> {
          throw new TransientException("IPPool is still full");
        };

    @Override
    public Map<IpFamily, String> await(AutoPoolRequest request) {
      asked.add(request);
      Map<IpFamily, String> out = new EnumMap<>(IpFamily.class);
      request.families().forEach(f -> out.put(f, byNic.get(request.item().nic()).get(f)));
      return out;
    }

    @Override
    public void awaitRoom(String pool, String podUid) {
      waitedForRoom.add(pool);
      onRoomWait.run();
    }
  }

  private final EngineHarness h = new EngineHarness();
  private final FakeAutoPools auto = new FakeAutoPools();

  private static Map<String, String> subnet(String json) {
    return Map.of("ipam.spidernet.io/subnet", json);
  }

  @Test
  void aDeploymentPodGetsItsAddressesFromTheAutoPoolsOfBothFamilies() {
    h.autoPool("auto4-web-eth0-d", "10.20.0.0/24", "10.20.0.10-10.20.0.11", WEB);
    h.autoPool("auto6-web-eth0-d", "fd00:20::/64", "fd00:20::10-fd00:20::11", WEB);
    auto.byNic.put(
        "eth0", Map.of(IpFamily.V4, "auto4-web-eth0-d", IpFamily.V6, "auto6-web-eth0-d"));
    h.runningPod(
        "web-1", "p1", "n1", subnet("{\"ipv4\":[\"s4\"],\"ipv6\":[\"s6\"]}"), List.of(WEB_OWNER));

    AddResult r = h.engine("n1", auto).allocate(add("c1", "web-1", "p1"));

    assertThat(r.ips())
        .extracting(AddResult.IpConfig::address)
        .containsExactly("10.20.0.10/24", "fd00:20::10/64");
    AutoPoolRequest q = auto.asked.get(0);
    assertThat(q.app()).isEqualTo(WEB);
    assertThat(q.item().nic()).isEqualTo("eth0");
    assertThat(q.families()).containsExactly(IpFamily.V4, IpFamily.V6);
    assertThat(q.number())
        .as("no annotation: flexible with the cluster default 1")
        .isEqualTo(IpNumber.flexible(1));
    assertThat(q.reclaim()).isTrue();
    assertThat(q.podUid()).isEqualTo("p1");
    assertThat(h.records("auto4-web-eth0-d").asMap()).containsOnlyKeys("10.20.0.10");
  }

  @Test
  void eachNicOfTheSubnetsAnnotationIsServedByItsOwnItem() {
    h.autoPool("auto4-web-eth0-d", "10.21.0.0/24", "10.21.0.10", WEB);
    h.autoPool("auto4-web-net1-d", "10.22.0.0/24", "10.22.0.10", WEB);
    auto.byNic.put("eth0", Map.of(IpFamily.V4, "auto4-web-eth0-d"));
    auto.byNic.put("net1", Map.of(IpFamily.V4, "auto4-web-net1-d"));
    h.runningPod(
        "web-1",
        "p1",
        "n1",
        Map.of(
            "ipam.spidernet.io/subnets",
            "[{\"interface\":\"eth0\",\"ipv4\":[\"a\"]},{\"interface\":\"net1\",\"ipv4\":[\"b\"]}]",
            "ipam.spidernet.io/ippool-ip-number",
            "3",
            "ipam.spidernet.io/ippool-reclaim",
            "false"),
        List.of(WEB_OWNER));
    IpamEngine engine = h.engine("n1", auto);

    AddResult eth0 = engine.allocate(add("c1", "web-1", "p1", "eth0"));
    AddResult net1 = engine.allocate(add("c1", "web-1", "p1", "net1"));

    assertThat(eth0.ips()).extracting(AddResult.IpConfig::address).containsExactly("10.21.0.10/24");
    assertThat(net1.ips())
        .filteredOn(i -> i.nic().equals("net1"))
        .extracting(AddResult.IpConfig::address)
        .containsExactly("10.22.0.10/24");
    assertThat(auto.asked).extracting(a -> a.item().nic()).containsExactly("eth0", "net1");
    assertThat(auto.asked.get(1).number()).isEqualTo(IpNumber.parse("3"));
    assertThat(auto.asked.get(1).reclaim()).isFalse();
  }

  @Test
  void aPoolFoundFullIsWaitedForAgainAndServesOnceItHasRoom() {
    h.autoPool("auto4-web-eth0-d", "10.23.0.0/24", "10.23.0.10", WEB);
    auto.byNic.put("eth0", Map.of(IpFamily.V4, "auto4-web-eth0-d"));
    h.runningPod("web-1", "p1", "n1", subnet("{\"ipv4\":[\"s\"]}"), List.of(WEB_OWNER));
    h.runningPod("web-2", "p2", "n1", subnet("{\"ipv4\":[\"s\"]}"), List.of(WEB_OWNER));
    IpamEngine engine = h.engine("n1", auto);
    engine.allocate(add("c1", "web-1", "p1"));
    // while web-2 waits, web-1 goes away and its address is released
    auto.onRoomWait =
        () -> {
          h.pods.remove(NS, "web-1");
          engine.release(del("c1", "web-1", "p1"));
        };

    AddResult r = engine.allocate(add("c2", "web-2", "p2"));

    assertThat(auto.waitedForRoom).containsExactly("auto4-web-eth0-d");
    assertThat(r.ips()).extracting(AddResult.IpConfig::address).containsExactly("10.23.0.10/24");
  }

  @Test
  void aWaitThatEndsWithoutRoomFailsTheAddAndTakesNothing() {
    h.autoPool("auto4-web-eth0-d", "10.24.0.0/24", "10.24.0.10", WEB);
    h.autoPool("auto6-web-eth0-d", "fd00:24::/64", "fd00:24::10-fd00:24::11", WEB);
    auto.byNic.put(
        "eth0", Map.of(IpFamily.V4, "auto4-web-eth0-d", IpFamily.V6, "auto6-web-eth0-d"));
    h.runningPod(
        "web-1", "p1", "n1", subnet("{\"ipv4\":[\"s4\"],\"ipv6\":[\"s6\"]}"), List.of(WEB_OWNER));
    h.runningPod(
        "web-2", "p2", "n1", subnet("{\"ipv4\":[\"s4\"],\"ipv6\":[\"s6\"]}"), List.of(WEB_OWNER));
    IpamEngine engine = h.engine("n1", auto);
    engine.allocate(add("c1", "web-1", "p1"));

    assertThatThrownBy(() -> engine.allocate(add("c2", "web-2", "p2")))
        .isInstanceOf(TransientException.class)
        .hasMessage("IPPool is still full");
    assertThat(h.records("auto6-web-eth0-d").asMap().values())
        .extracting(x -> x.podUid())
        .as("the IPv6 address is given back: all or nothing")
        .containsExactly("p1");
  }

  @Test
  void withoutAnAutoPoolServiceTheAnnotationIsRefusedWithWhatToUse() {
    h.runningPod("web-1", "p1", "n1", subnet("{\"ipv4\":[\"s\"]}"), List.of(WEB_OWNER));
    assertThatThrownBy(() -> h.engine("n1").allocate(add("c1", "web-1", "p1")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("use ipam.spidernet.io/ippool or ippools");
  }

  @Test
  void aPodWithoutAControllerIsRefusedBeforeAnyWait() {
    h.runningPod("bare", "p1", "n1", subnet("{\"ipv4\":[\"s\"]}"), List.of());
    assertThatThrownBy(() -> h.engine("n1", auto).allocate(add("c1", "bare", "p1")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("doesn't support no-controller pod");
    assertThat(auto.asked).isEmpty();
  }

  @Test
  void disabledFamiliesAreNotWaitedFor() {
    EngineHarness v4only = new EngineHarness(ClusterConfig.builder().families(true, false).build());
    v4only.autoPool("auto4-web-eth0-d", "10.25.0.0/24", "10.25.0.10", WEB);
    auto.byNic.put("eth0", Map.of(IpFamily.V4, "auto4-web-eth0-d"));
    v4only.runningPod(
        "web-1", "p1", "n1", subnet("{\"ipv4\":[\"s4\"],\"ipv6\":[\"s6\"]}"), List.of(WEB_OWNER));

    v4only.engine("n1", auto).allocate(add("c1", "web-1", "p1"));

    assertThat(auto.asked.get(0).families()).containsExactly(IpFamily.V4);
  }

  @Test
  void theAutoPoolFeatureSwitchedOffRefusesTheAnnotation() {
    EngineHarness off =
        new EngineHarness(ClusterConfig.builder().spiderSubnet(true, false).build());
    off.runningPod("web-1", "p1", "n1", subnet("{\"ipv4\":[\"s\"]}"), List.of(WEB_OWNER));
    assertThatThrownBy(() -> off.engine("n1", auto).allocate(add("c1", "web-1", "p1")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("set enableAutoPoolForApplication: true");
  }
}
