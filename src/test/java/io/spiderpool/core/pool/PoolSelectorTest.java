// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static io.spiderpool.core.pool.Fixtures.annotations;
import static io.spiderpool.core.pool.Fixtures.pool;
import static io.spiderpool.core.pool.Fixtures.request;
import static io.spiderpool.core.pool.Fixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.annotation.MultusNetworks;
import io.spiderpool.core.annotation.MultusNetworks.NetworkRef;
import io.spiderpool.core.annotation.PoolNames;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.NoPoolAvailableException;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole pipeline: source, gating, precheck, filter, order. */
class PoolSelectorTest {
  static final String IPPOOL = IpamAnnotations.POD_IPPOOL;
  static final String IPPOOLS = IpamAnnotations.POD_IPPOOLS;

  static SelectionRequest withIpPool(String value) {
    return request().pod(Map.of("app", "web"), annotations(IPPOOL, value)).build();
  }

  @Test
  void dualStackSelectionOrdersEachFamily() {
    PoolCatalog pools =
        Fixtures.catalog(
            Fixtures.v4("a"), pool("b", IpFamily.V4).nodeNames(List.of("node-1")).build(),
            Fixtures.v6("a6"), pool("b6", IpFamily.V6).podAffinity(selector("app", "web")).build());
    PoolSelection s =
        PoolSelector.select(withIpPool("{\"ipv4\":[\"a\",\"b\"],\"ipv6\":[\"a6\",\"b6\"]}"), pools);
    assertThat(s.source()).isEqualTo(CandidateSource.IPPOOL_ANNOTATION);
    assertThat(s.namedInterfaces()).isTrue();
    NicCandidates eth0 = s.forNic("eth0").orElseThrow();
    assertThat(eth0.poolNames(IpFamily.V4)).containsExactly("b", "a");
    assertThat(eth0.poolNames(IpFamily.V6)).containsExactly("b6", "a6");
    assertThat(eth0.cleanGateway()).isFalse();
    assertThat(eth0.pools(IpFamily.V4).get(0)).isSameAs(pools.get("b").orElseThrow());
  }

  static Stream<Arguments> gating() {
    return Stream.of(
        arguments(true, true, List.of("a"), List.of("a6")),
        arguments(true, false, List.of("a"), List.of()),
        arguments(false, true, List.of(), List.of("a6")),
        arguments(false, false, List.of(), List.of()));
  }

  @ParameterizedTest(name = "ipv4={0} ipv6={1}")
  @MethodSource("gating")
  void disabledFamiliesAreDroppedSilentlyBeforePrecheck(
      boolean v4, boolean v6, List<String> expectV4, List<String> expectV6) {
    // a missing pool in a disabled family must not fail: gating runs before the precheck
    String v4Names = v4 ? "[\"a\"]" : "[\"a\",\"missing\"]";
    String v6Names = v6 ? "[\"a6\"]" : "[\"a6\",\"missing\"]";
    SelectionRequest r =
        request()
            .pod(
                Map.of(),
                annotations(IPPOOL, "{\"ipv4\":" + v4Names + ",\"ipv6\":" + v6Names + "}"))
            .cluster(ClusterConfig.builder().families(v4, v6).build())
            .build();
    NicCandidates nic =
        PoolSelector.select(r, Fixtures.catalog(Fixtures.v4("a"), Fixtures.v6("a6"))).nics().get(0);
    assertThat(nic.poolNames(IpFamily.V4)).isEqualTo(expectV4);
    assertThat(nic.poolNames(IpFamily.V6)).isEqualTo(expectV6);
    assertThat(nic.pools().keySet()).hasSize(expectV4.size() + expectV6.size());
  }

  @Test
  void singleFamilyInADualStackClusterIsAllowed() {
    NicCandidates nic =
        PoolSelector.select(withIpPool("{\"ipv6\":[\"a6\"]}"), Fixtures.catalog(Fixtures.v6("a6")))
            .nics()
            .get(0);
    assertThat(nic.pools().keySet()).containsExactly(IpFamily.V6);
    assertThat(nic.pools(IpFamily.V4)).isEmpty();
  }

  static Stream<Arguments> precheckErrors() {
    return Stream.of(
        arguments(
            "{\"ipv4\":[\"a\",\"a\"]}",
            "wrong input, duplicate IPPool a specified for NIC" + " eth0"),
        arguments(
            "{\"ipv6\":[\"a6\",\"a*\"]}",
            "wrong input, duplicate IPPool a6 specified for" + " NIC eth0"),
        arguments(
            "{\"ipv4\":[\"a\",\"nope\"]}",
            "failed to get original IPPool nope:"
                + " spiderippools.spiderpool.spidernet.io \"nope\" not found (named in Pod annotation"
                + " ipam.spidernet.io/ippool; create the IPPool or fix the name)"),
        arguments(
            "{\"ipv4\":[\"a\"],\"ipv6\":[\"nope6\"]}",
            "failed to get original IPPool nope6:"
                + " spiderippools.spiderpool.spidernet.io \"nope6\" not found (named in Pod"
                + " annotation ipam.spidernet.io/ippool; create the IPPool or fix the name)"),
        arguments(
            "{\"ipv4\":[\"nope\",\"nope\"]}",
            "failed to get original IPPool nope:"
                + " spiderippools.spiderpool.spidernet.io \"nope\" not found (named in Pod annotation"
                + " ipam.spidernet.io/ippool; create the IPPool or fix the name)"));
  }

  @ParameterizedTest
  @MethodSource("precheckErrors")
  void precheckRefusesDuplicatesAndMissingPools(String value, String message) {
    assertThatThrownBy(
            () ->
                PoolSelector.select(
                    withIpPool(value), Fixtures.catalog(Fixtures.v4("a"), Fixtures.v6("a6"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
  }

  @Test
  void missingPoolFromNamespaceDefaultsNamesTheAnnotation() {
    SelectionRequest r =
        request()
            .namespace(Map.of(), annotations(IpamAnnotations.NS_DEFAULT_IPV6_IPPOOL, "[\"gone\"]"))
            .build();
    assertThatThrownBy(() -> PoolSelector.select(r, Fixtures.catalog()))
        .hasMessageEndingWith(
            "(named in Namespace annotation"
                + " ipam.spidernet.io/default-ipv6-ippool; create the IPPool or fix the name)");
  }

  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void allFilteredOutGivesEveryReason(IpFamily f) {
    PoolCatalog pools =
        Fixtures.catalog(
            pool("a", f).disabled(true).build(), pool("b", f).nodeNames(List.of("node-9")).build());
    String key = f == IpFamily.V4 ? "ipv4" : "ipv6";
    assertThatThrownBy(
            () -> PoolSelector.select(withIpPool("{\"" + key + "\":[\"a\",\"b\"]}"), pools))
        .isInstanceOf(NoPoolAvailableException.class)
        .hasMessage(
            "no IPPool available, all "
                + f
                + " IPPools [a b] of eth0 filtered out:"
                + " [disabled IPPool a, unmatched Node name of IPPool b]");
  }

  @Test
  void oneFilteredPoolReasonIsNotBracketed() {
    assertThatThrownBy(
            () ->
                PoolSelector.select(
                    withIpPool("{\"ipv4\":[\"a\"]}"),
                    Fixtures.catalog(pool("a", IpFamily.V4).terminating(true).build())))
        .isInstanceOf(NoPoolAvailableException.class)
        .hasMessage(
            "no IPPool available, all IPv4 IPPools [a] of eth0 filtered out:"
                + " terminating IPPool a");
  }

  @Test
  void wrongFamilyPoolInAListIsFilteredNotFatal() {
    PoolSelection s =
        PoolSelector.select(
            withIpPool("{\"ipv4\":[\"a6\",\"a\"]}"),
            Fixtures.catalog(Fixtures.v4("a"), Fixtures.v6("a6")));
    assertThat(s.nics().get(0).poolNames(IpFamily.V4)).containsExactly("a");
  }

  @Test
  void survivorsKeepTheUsersOrderAmongEquals() {
    PoolCatalog pools =
        Fixtures.catalog(
            Fixtures.v4("c"),
            Fixtures.v4("a"),
            Fixtures.v4("b"),
            pool("x", IpFamily.V4).disabled(true).build());
    PoolSelection s =
        PoolSelector.select(withIpPool("{\"ipv4\":[\"c\",\"x\",\"a\",\"b\"]}"), pools);
    assertThat(s.nics().get(0).poolNames(IpFamily.V4)).containsExactly("c", "a", "b");
  }

  @Test
  void ipPoolsAllocatesEveryNicWithItsOwnMultusNetwork() {
    MultusNetworks multus =
        new MultusNetworks(
            "spiderpool",
            new NetworkRef("spiderpool", "calico", ""),
            List.of(new NetworkRef("default", "macvlan-a", "net1")));
    PoolCatalog pools =
        Fixtures.catalog(
            pool("eth0-pool", IpFamily.V4).multusNames(List.of("calico")).build(),
            pool("net1-pool", IpFamily.V4).multusNames(List.of("default/macvlan-a")).build(),
            pool("net1-pool6", IpFamily.V6).build());
    SelectionRequest r =
        request("net1")
            .pod(
                Map.of(),
                annotations(
                    IPPOOLS,
                    "[{\"interface\":\"eth0\",\"ipv4\":[\"eth0-pool\"]},{\"interface\":\"net1\","
                        + "\"ipv4\":[\"net1-pool\"],\"ipv6\":[\"net1-pool6\"],\"cleangateway\":true}]"))
            .multus(multus)
            .build();
    PoolSelection s = PoolSelector.select(r, pools);
    assertThat(s.source()).isEqualTo(CandidateSource.IPPOOLS_ANNOTATION);
    assertThat(s.nics()).extracting(NicCandidates::nic).containsExactly("eth0", "net1");
    assertThat(s.forNic("eth0").orElseThrow().poolNames(IpFamily.V4)).containsExactly("eth0-pool");
    NicCandidates net1 = s.forNic("net1").orElseThrow();
    assertThat(net1.cleanGateway()).isTrue();
    assertThat(net1.poolNames(IpFamily.V6)).containsExactly("net1-pool6");
  }

  @Test
  void unnamedIpPoolsMatchesMultusByPosition() {
    MultusNetworks multus =
        new MultusNetworks(
            "spiderpool",
            new NetworkRef("spiderpool", "calico", ""),
            List.of(new NetworkRef("default", "macvlan-a", "")));
    PoolCatalog pools =
        Fixtures.catalog(
            pool("first", IpFamily.V4).multusNames(List.of("calico")).build(),
            pool("second", IpFamily.V4).multusNames(List.of("default/macvlan-a")).build());
    SelectionRequest r =
        request()
            .pod(Map.of(), annotations(IPPOOLS, "[{\"ipv4\":[\"first\"]},{\"ipv4\":[\"second\"]}]"))
            .multus(multus)
            .build();
    PoolSelection s = PoolSelector.select(r, pools);
    assertThat(s.namedInterfaces()).isFalse();
    assertThat(s.nics()).extracting(NicCandidates::nic).containsExactly("0", "1");
    assertThat(s.forNic("1").orElseThrow().poolNames(IpFamily.V4)).containsExactly("second");

    SelectionRequest swapped =
        request()
            .pod(Map.of(), annotations(IPPOOLS, "[{\"ipv4\":[\"second\"]},{\"ipv4\":[\"first\"]}]"))
            .multus(multus)
            .build();
    assertThatThrownBy(() -> PoolSelector.select(swapped, pools))
        .isInstanceOf(NoPoolAvailableException.class)
        .hasMessage(
            "no IPPool available, all IPv4 IPPools [second] of 0 filtered out:"
                + " interface 0 IPPool second specified multusName [default/macvlan-a] unmatched"
                + " multusCR spiderpool/calico");
  }

  @Test
  void errorInTheFirstNicIsReportedFirst() {
    SelectionRequest r =
        request()
            .pod(
                Map.of(),
                annotations(
                    IPPOOLS,
                    "[{\"interface\":\"eth0\",\"ipv4\":[\"off\"]},{\"interface\":\"net1\","
                        + "\"ipv4\":[\"gone\"]}]"))
            .build();
    assertThatThrownBy(
            () ->
                PoolSelector.select(
                    r, Fixtures.catalog(pool("off", IpFamily.V4).disabled(true).build())))
        .as("precheck of every NIC runs before any filtering, as upstream")
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("failed to get original IPPool gone");
  }

  @Test
  void cniDefaultsWithWildcardsAndCleanGateway() {
    SelectionRequest r =
        request().cniConfig(new PoolNames(List.of("v4-*"), List.of("v6-*")), true).build();
    PoolSelection s =
        PoolSelector.select(
            r, Fixtures.catalog(Fixtures.v4("v4-b"), Fixtures.v4("v4-a"), Fixtures.v6("v6-a")));
    assertThat(s.source()).isEqualTo(CandidateSource.CNI_CONFIG);
    assertThat(s.nics().get(0).poolNames(IpFamily.V4)).containsExactly("v4-a", "v4-b");
    assertThat(s.nics().get(0).poolNames(IpFamily.V6)).containsExactly("v6-a");
    assertThat(s.nics().get(0).cleanGateway()).isTrue();
  }

  @Test
  void clusterDefaultPoolsAreFilteredAndOrderedToo() {
    PoolCatalog pools =
        Fixtures.catalog(
            pool("d-b", IpFamily.V4).isDefault(true).build(),
            pool("d-a", IpFamily.V4).isDefault(true).disabled(true).build(),
            pool("d-c", IpFamily.V4).isDefault(true).namespaceNames(List.of("default")).build());
    PoolSelection s = PoolSelector.select(request().build(), pools);
    assertThat(s.source()).isEqualTo(CandidateSource.CLUSTER_DEFAULT_POOLS);
    assertThat(s.nics().get(0).poolNames(IpFamily.V4)).containsExactly("d-c", "d-b");
  }

  @Test
  void wildcardMatchingNothingLeavesTheFamilyWithoutCandidates() {
    PoolSelection s =
        PoolSelector.select(
            withIpPool("{\"ipv4\":[\"a\"],\"ipv6\":[\"none-*\"]}"),
            Fixtures.catalog(Fixtures.v4("a")));
    assertThat(s.nics().get(0).pools().keySet()).containsExactly(IpFamily.V4);
  }
}
