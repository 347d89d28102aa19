// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static io.spiderpool.core.pool.Fixtures.pool;
import static io.spiderpool.core.pool.Fixtures.request;
import static io.spiderpool.core.pool.Fixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.annotation.MultusNetworks;
import io.spiderpool.core.annotation.MultusNetworks.NetworkRef;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each filter rule, accepting and rejecting, for IPv4 and IPv6 pools alike. */
class PoolFilterTest {
  static final SelectionRequest REQ = request().build();

  static Map<String, String> autoPoolAffinity(
      String group, String version, String kind, String ns, String name) {
    return Map.of(
        PoolFilter.APP_API_GROUP,
        group,
        PoolFilter.APP_API_VERSION,
        version,
        PoolFilter.APP_KIND,
        kind,
        PoolFilter.APP_NAMESPACE,
        ns,
        PoolFilter.APP_NAME,
        name);
  }

  static Stream<Arguments> rules() {
    Stream.Builder<Arguments> rows = Stream.builder();
    for (IpFamily f : IpFamily.values()) {
      IpFamily other = f == IpFamily.V4 ? IpFamily.V6 : IpFamily.V4;
      rows.add(arguments(f, pool("p", f).build(), null));
      rows.add(arguments(f, pool("p", f).terminating(true).build(), "terminating IPPool p"));
      rows.add(
          arguments(
              f, pool("p", f).disabled(true).terminating(true).build(), "terminating IPPool p"));
      rows.add(arguments(f, pool("p", f).disabled(true).build(), "disabled IPPool p"));
      rows.add(
          arguments(
              f,
              pool("p", other).build(),
              "expect an " + f + " IPPool, but the" + " version of the IPPool p is " + other));
      rows.add(
          arguments(
              f,
              PoolView.builder("p").build(),
              "expect an " + f + " IPPool, but the" + " version of the IPPool p is unset"));
      rows.add(arguments(f, pool("p", f).nodeNames(List.of("node-0", "node-1")).build(), null));
      rows.add(
          arguments(
              f,
              pool("p", f).nodeNames(List.of("node-2")).build(),
              "unmatched Node name of IPPool p"));
      rows.add(
          arguments(
              f,
              pool("p", f)
                  .nodeNames(List.of("node-1"))
                  .nodeAffinity(selector("zone", "z9"))
                  .build(),
              null));
      rows.add(arguments(f, pool("p", f).nodeAffinity(selector("zone", "z1")).build(), null));
      rows.add(
          arguments(
              f,
              pool("p", f).nodeAffinity(selector("zone", "z2")).build(),
              "unmatched Node affinity of IPPool p"));
      rows.add(arguments(f, pool("p", f).nodeAffinity(LabelSelector.EVERYTHING).build(), null));
      rows.add(arguments(f, pool("p", f).namespaceNames(List.of("default")).build(), null));
      rows.add(
          arguments(
              f,
              pool("p", f).namespaceNames(List.of("kube-system")).build(),
              "unmatched Namespace name of IPPool p"));
      rows.add(
          arguments(
              f,
              pool("p", f)
                  .namespaceNames(List.of("default"))
                  .namespaceAffinity(selector("team", "b"))
                  .build(),
              null));
      rows.add(arguments(f, pool("p", f).namespaceAffinity(selector("team", "a")).build(), null));
      rows.add(
          arguments(
              f,
              pool("p", f).namespaceAffinity(selector("team", "b")).build(),
              "unmatched Namespace affinity of IPPool p"));
      rows.add(arguments(f, pool("p", f).podAffinity(selector("app", "web")).build(), null));
      rows.add(
          arguments(
              f,
              pool("p", f).podAffinity(selector("app", "db")).build(),
              "unmatched Pod affinity of IPPool p"));
      rows.add(
          arguments(
              f,
              pool("p", f).nodeNames(List.of("node-2")).namespaceNames(List.of("x")).build(),
              "unmatched Node name of IPPool p"));
    }
    return rows.build();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rules")
  void appliesSpiderpoolRulesInOrder(IpFamily family, PoolView pool, String reason) {
    assertThat(PoolFilter.reject(pool, family, REQ, "eth0")).isEqualTo(Optional.ofNullable(reason));
  }

  static Stream<Arguments> autoPools() {
    return Stream.of(
        arguments(autoPoolAffinity("apps", "v1", "Deployment", "default", "web"), null),
        arguments(
            autoPoolAffinity("apps", "v1", "Deployment", "default", "api"),
            "unmatched Pod affinity of auto-created IPPool auto4-web-eth0-1"),
        arguments(
            autoPoolAffinity("apps", "v1", "StatefulSet", "default", "web"),
            "unmatched Pod affinity of auto-created IPPool auto4-web-eth0-1"),
        arguments(
            autoPoolAffinity("", "v1", "Deployment", "default", "web"),
            "unmatched Pod affinity of auto-created IPPool auto4-web-eth0-1"),
        arguments(
            autoPoolAffinity("apps", "v1", "Deployment", "other", "web"),
            "unmatched Pod affinity of auto-created IPPool auto4-web-eth0-1"));
  }

  @ParameterizedTest
  @MethodSource("autoPools")
  void autoCreatedPoolsMatchTheTopControllerNotPodLabels(Map<String, String> app, String reason) {
    PoolView pool =
        pool("auto4-web-eth0-1", IpFamily.V4)
            .labels(Map.of(PoolView.AUTO_POOL_LABEL, "web"))
            .podAffinity(LabelSelector.matchLabels(app))
            .multusNames(List.of("never-matches"))
            .build();
    assertThat(PoolFilter.reject(pool, IpFamily.V4, REQ, "eth0"))
        .isEqualTo(Optional.ofNullable(reason));
  }

  static final MultusNetworks MULTUS =
      new MultusNetworks(
          "spiderpool",
          new NetworkRef("spiderpool", "macvlan-eth0", ""),
          List.of(
              new NetworkRef("default", "macvlan-a", "net1"),
              new NetworkRef("team", "macvlan-b", "")));

  static Stream<Arguments> multus() {
    return Stream.of(
        arguments("eth0", List.of("macvlan-eth0"), null),
        arguments("eth0", List.of("spiderpool/macvlan-eth0"), null),
        arguments(
            "eth0",
            List.of("default/macvlan-eth0"),
            "interface eth0 IPPool p specified"
                + " multusName [default/macvlan-eth0] unmatched multusCR spiderpool/macvlan-eth0"),
        arguments("0", List.of("macvlan-eth0"), null),
        arguments("net1", List.of("x", "default/macvlan-a"), null),
        arguments(
            "net1",
            List.of("macvlan-a"),
            "interface net1 IPPool p specified multusName"
                + " [macvlan-a] unmatched multusCR default/macvlan-a"),
        arguments("1", List.of("default/macvlan-a"), null),
        arguments("net2", List.of("team/macvlan-b"), null),
        arguments("2", List.of("team/macvlan-b"), null),
        arguments(
            "net3",
            List.of("team/macvlan-b"),
            "no Multus network attachment for interface"
                + " net3, the IPPool p specified multusName [team/macvlan-b] unmatched"),
        arguments("net3", List.of(), null));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("multus")
  void multusNameMustNameTheNadOfTheNic(String nic, List<String> multusNames, String reason) {
    SelectionRequest r = request(nic).multus(MULTUS).build();
    for (IpFamily f : IpFamily.values()) {
      PoolView pool = pool("p", f).multusNames(multusNames).build();
      assertThat(PoolFilter.reject(pool, f, r, nic)).isEqualTo(Optional.ofNullable(reason));
    }
  }

  @Test
  void firstNicWithoutAnyDefaultNetworkFiltersMultusPools() {
    PoolView pool = pool("p", IpFamily.V6).multusNames(List.of("a", "b")).build();
    assertThat(PoolFilter.reject(pool, IpFamily.V6, REQ, "eth0"))
        .contains(
            "cluster-network multus isn't set, the IPPool p specified multusName [a b] unmatched");
  }
}
