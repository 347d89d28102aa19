// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static io.spiderpool.core.pool.Fixtures.annotations;
import static io.spiderpool.core.pool.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.annotation.PoolNames;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.NoPoolAvailableException;
import io.spiderpool.core.net.IpFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Step 1: which source wins, and what it yields per family. */
class CandidateSourcesTest {
  static final String IPPOOLS = IpamAnnotations.POD_IPPOOLS;
  static final String IPPOOL = IpamAnnotations.POD_IPPOOL;
  static final String NS_V4 = IpamAnnotations.NS_DEFAULT_IPV4_IPPOOL;
  static final String NS_V6 = IpamAnnotations.NS_DEFAULT_IPV6_IPPOOL;

  static final PoolCatalog POOLS =
      Fixtures.catalog(
          Fixtures.v4("pods-a"),
          Fixtures.v6("pods-a6"),
          Fixtures.v4("pod-b"),
          Fixtures.v6("pod-b6"),
          Fixtures.v4("ns-a"),
          Fixtures.v6("ns-a6"),
          Fixtures.v4("cni-a"),
          Fixtures.v6("cni-a6"),
          Fixtures.v4("legacy-a"),
          Fixtures.v6("legacy-a6"),
          Fixtures.pool("def-z", IpFamily.V4).isDefault(true).build(),
          Fixtures.pool("def-a", IpFamily.V4).isDefault(true).build(),
          Fixtures.pool("def-6", IpFamily.V6).isDefault(true).build());

  /** Sources present, from the highest: ippools, ippool, ns, cni, legacy. */
  static SelectionRequest withSources(int from) {
    Map<String, String> pod = new HashMap<>();
    if (from <= 0) {
      pod.put(IPPOOLS, "[{\"interface\":\"eth0\",\"ipv4\":[\"pods-a\"],\"ipv6\":[\"pods-a6\"]}]");
    }
    if (from <= 1) {
      pod.put(IPPOOL, "{\"ipv4\":[\"pod-b\"],\"ipv6\":[\"pod-b6\"]}");
    }
    Map<String, String> ns =
        from <= 2 ? annotations(NS_V4, "[\"ns-a\"]", NS_V6, "[\"ns-a6\"]") : Map.of();
    PoolNames cni = from <= 3 ? new PoolNames(List.of("cni-a"), List.of("cni-a6")) : PoolNames.NONE;
    ClusterConfig cluster =
        from <= 4
            ? ClusterConfig.builder()
                .legacyDefaultPools(List.of("legacy-a"), List.of("legacy-a6"))
                .build()
            : ClusterConfig.DEFAULTS;
    return request()
        .pod(Map.of(), pod)
        .namespace(Map.of(), ns)
        .cniConfig(cni, false)
        .cluster(cluster)
        .build();
  }

  static Stream<Arguments> priority() {
    return Stream.of(
        arguments(0, CandidateSource.IPPOOLS_ANNOTATION, List.of("pods-a"), List.of("pods-a6")),
        arguments(1, CandidateSource.IPPOOL_ANNOTATION, List.of("pod-b"), List.of("pod-b6")),
        arguments(2, CandidateSource.NAMESPACE_ANNOTATION, List.of("ns-a"), List.of("ns-a6")),
        arguments(3, CandidateSource.CNI_CONFIG, List.of("cni-a"), List.of("cni-a6")),
        arguments(
            4, CandidateSource.LEGACY_CLUSTER_DEFAULT, List.of("legacy-a"), List.of("legacy-a6")),
        arguments(
            5, CandidateSource.CLUSTER_DEFAULT_POOLS, List.of("def-a", "def-z"), List.of("def-6")));
  }

  @ParameterizedTest(name = "sources from #{0} -> {1}")
  @MethodSource("priority")
  void firstPresentSourceWins(
      int from, CandidateSource expected, List<String> v4, List<String> v6) {
    RawCandidates raw = CandidateSources.gather(withSources(from), POOLS);
    assertThat(raw.source()).isEqualTo(expected);
    assertThat(raw.nics()).hasSize(1);
    assertThat(raw.nics().get(0).nic()).isEqualTo("eth0");
    assertThat(raw.nics().get(0).names()).isEqualTo(new PoolNames(v4, v6));
  }

  @Test
  void noRuleAndNoDefaultPoolIsNoPoolAvailable() {
    assertThatThrownBy(
            () ->
                CandidateSources.gather(
                    request().build(), Fixtures.catalog(Fixtures.v4("not-default"))))
        .isInstanceOf(NoPoolAvailableException.class)
        .hasMessage(
            "no IPPool available, no pool selection rules of any type are specified:"
                + " annotate the Pod or Namespace, set default_ipv4_ippool / default_ipv6_ippool in"
                + " the CNI config, or mark an IPPool spec.default: true");
  }

  @Test
  void onlyTheWinningAnnotationIsParsed() {
    SelectionRequest r =
        request()
            .pod(
                Map.of(),
                annotations(
                    IPPOOLS, "[{\"interface\":\"eth0\",\"ipv4\":[\"pods-a\"]}]", IPPOOL, "{broken"))
            .namespace(Map.of(), annotations(NS_V4, "broken"))
            .build();
    assertThat(CandidateSources.gather(r, POOLS).source())
        .isEqualTo(CandidateSource.IPPOOLS_ANNOTATION);
  }

  @Test
  void brokenNamespaceAnnotationFailsEvenWithCniDefaults() {
    SelectionRequest r =
        request()
            .namespace(Map.of(), annotations(NS_V4, "ns-a"))
            .cniConfig(new PoolNames(List.of("cni-a"), List.of()), false)
            .build();
    assertThatThrownBy(() -> CandidateSources.gather(r, POOLS))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "wrong input, invalid format of Namespace annotation"
                + " 'ipam.spidernet.io/default-ipv4-ippool': invalid JSON at line 1, column 1");
  }

  @Test
  void namespaceAnnotationWithOneFamilyStillWins() {
    SelectionRequest r =
        request()
            .namespace(Map.of(), annotations(NS_V6, "[\"ns-a6\"]"))
            .cniConfig(new PoolNames(List.of("cni-a"), List.of()), false)
            .build();
    RawCandidates raw = CandidateSources.gather(r, POOLS);
    assertThat(raw.source()).isEqualTo(CandidateSource.NAMESPACE_ANNOTATION);
    assertThat(raw.nics().get(0).names()).isEqualTo(new PoolNames(List.of(), List.of("ns-a6")));
  }

  @Test
  void cleanGatewayComesFromIpPoolsItemElseFromCniConfig() {
    SelectionRequest pools =
        request()
            .pod(
                Map.of(),
                annotations(
                    IPPOOLS,
                    "[{\"interface\":\"eth0\",\"ipv4\":[\"pods-a\"],\"cleangateway\":true},"
                        + "{\"interface\":\"net1\",\"ipv4\":[\"pod-b\"]}]"))
            .cniConfig(PoolNames.NONE, false)
            .build();
    assertThat(CandidateSources.gather(pools, POOLS).nics())
        .extracting(RawCandidates.Nic::cleanGateway)
        .containsExactly(true, false);

    SelectionRequest pool =
        request()
            .pod(Map.of(), annotations(IPPOOL, "{\"ipv4\":[\"pod-b\"]}"))
            .cniConfig(PoolNames.NONE, true)
            .build();
    assertThat(CandidateSources.gather(pool, POOLS).nics().get(0).cleanGateway()).isTrue();
  }

  @Test
  void clusterDefaultsSkipPoolsWithoutAFamily() {
    PoolCatalog catalog =
        Fixtures.catalog(
            PoolView.builder("nofamily").isDefault(true).build(),
            Fixtures.pool("d4", IpFamily.V4).isDefault(true).build());
    RawCandidates raw = CandidateSources.gather(request().build(), catalog);
    assertThat(raw.nics().get(0).names()).isEqualTo(new PoolNames(List.of("d4"), List.of()));
  }

  @Test
  void ipPoolsInUnnamedModeYieldsEveryNicByIndex() {
    SelectionRequest r =
        request("net1")
            .pod(
                Map.of(),
                annotations(IPPOOLS, "[{\"ipv4\":[\"pods-a\"]},{\"ipv6\":[\"pods-a6\"]}]"))
            .build();
    RawCandidates raw = CandidateSources.gather(r, POOLS);
    assertThat(raw.named()).isFalse();
    List<String> nics = new ArrayList<>();
    raw.nics().forEach(n -> nics.add(n.nic()));
    assertThat(nics).containsExactly("0", "1");
  }

  @Test
  void ipPoolsInNamedModeMustListTheCurrentNic() {
    SelectionRequest r =
        request("net2")
            .pod(Map.of(), annotations(IPPOOLS, "[{\"interface\":\"eth0\",\"ipv4\":[\"pods-a\"]}]"))
            .build();
    assertThatThrownBy(() -> CandidateSources.gather(r, POOLS))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "wrong input, invalid format of Pod annotation 'ipam.spidernet.io/ippools':"
                + " interface net2 must be specified: no item names the NIC being set up; write e.g."
                + " [{\"interface\":\"eth0\",\"ipv4\":[\"v4-pool\"]},{\"interface\":\"net1\","
                + "\"ipv4\":[\"v4-pool-2\"],\"cleangateway\":true}]");
  }
}
