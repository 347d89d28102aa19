// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static io.spiderpool.core.pool.Fixtures.annotations;
import static io.spiderpool.core.pool.Fixtures.pool;
import static io.spiderpool.core.pool.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.annotation.SubnetItem;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpFamily;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SpiderSubnet seam: the pure checks, and selection once the caller resolved auto-pools. */
class SubnetSourceTest {
  static final String SUBNET = IpamAnnotations.POD_SUBNET;
  static final String SUBNETS = IpamAnnotations.POD_SUBNETS;
  static final String IPPOOL = IpamAnnotations.POD_IPPOOL;

  static SelectionRequest.Builder annotated(String... kv) {
    return request().pod(Map.of(), annotations(kv));
  }

  @Test
  void appliesOnlyWhenTheFeatureIsOnAndThePodIsAnnotated() {
    assertThat(PoolSelector.subnetRoute(request().build())).isEmpty();
    SelectionRequest off =
        annotated(SUBNET, "{broken")
            .cluster(ClusterConfig.builder().spiderSubnet(false, true).build())
            .build();
    assertThat(PoolSelector.subnetRoute(off)).isEmpty();
    assertThat(PoolSelector.subnetRoute(annotated(SUBNET, "{\"ipv4\":[\"s4\"]}").build()))
        .contains(new SubnetItem("eth0", "s4", null));
  }

  @Test
  void picksTheItemOfTheNicOrNothingForAnUnlistedNic() {
    String value =
        "[{\"interface\":\"eth0\",\"ipv4\":[\"s1\"]},"
            + "{\"interface\":\"net1\",\"ipv6\":[\"s6\"]}]";
    SelectionRequest net1 = request("net1").pod(Map.of(), annotations(SUBNETS, value)).build();
    assertThat(PoolSelector.subnetRoute(net1)).contains(new SubnetItem("net1", null, "s6"));
    SelectionRequest net2 = request("net2").pod(Map.of(), annotations(SUBNETS, value)).build();
    assertThat(PoolSelector.subnetRoute(net2)).contains(new SubnetItem("net2", null, null));
  }

  static Stream<Arguments> refused() {
    ClusterConfig noAutoPool = ClusterConfig.builder().spiderSubnet(true, false).build();
    return Stream.of(
        arguments(
            annotated(SUBNETS, "[]").cluster(noAutoPool).build(),
            "it's invalid to use"
                + " 'ipam.spidernet.io/subnets' or 'ipam.spidernet.io/subnet' annotation when"
                + " Auto-Pool feature is disabled: remove the annotation or set"
                + " enableAutoPoolForApplication: true in ConfigMap spiderpool-conf"),
        arguments(
            annotated(SUBNET, "{\"ipv4\":[\"s\"]}")
                .topController(TopController.orphanPod("default", "web-0", "u"))
                .build(),
            "failed to get IPPool candidates from Subnet: SpiderSubnet feature doesn't support"
                + " no-controller pod; run the Pod under a controller (Deployment, StatefulSet...)"
                + " or use ipam.spidernet.io/ippool"),
        arguments(
            annotated(SUBNET, "{}").build(),
            "failed to get IPPool candidates from Subnet:"
                + " wrong input, invalid format of Pod annotation 'ipam.spidernet.io/subnet': names no"
                + " SpiderSubnet: set ipv4, ipv6 or both; write e.g. {\"interface\":\"eth0\","
                + "\"ipv4\":[\"subnet-v4\"],\"ipv6\":[\"subnet-v6\"]}"),
        arguments(
            annotated(SUBNET, "{\"ipv4\":[\"s\"]}", IpamAnnotations.POD_IPPOOL_IP_NUMBER, "x")
                .build(),
            "failed to get IPPool candidates from Subnet: wrong input, invalid format of Pod"
                + " annotation 'ipam.spidernet.io/ippool-ip-number': 'x' is not a whole number;"
                + " write e.g. \"5\" for a fixed size or \"+1\" for replicas + 1"),
        arguments(
            annotated(SUBNET, "{\"ipv4\":[\"s\"]}", IpamAnnotations.POD_IPPOOL_RECLAIM, "yes")
                .build(),
            "failed to get IPPool candidates from Subnet: wrong input, invalid format of Pod"
                + " annotation 'ipam.spidernet.io/ippool-reclaim': 'yes' is not a boolean; write"
                + " e.g. true or false (also accepted: 1, t, T, TRUE, True, 0, f, F, FALSE,"
                + " False)"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesWhatSpiderpoolRefuses(SelectionRequest r, String message) {
    assertThatThrownBy(() -> PoolSelector.subnetRoute(r))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> PoolSelector.select(r, Fixtures.catalog()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
  }

  @Test
  void selectUsesTheResolvedAutoPoolsAndTheirAffinity() {
    PoolView auto4 =
        pool("auto4-web-eth0-1", IpFamily.V4)
            .labels(Map.of(PoolView.AUTO_POOL_LABEL, "web"))
            .podAffinity(
                LabelSelector.matchLabels(
                    Map.of(
                        PoolFilter.APP_API_GROUP,
                        "apps",
                        PoolFilter.APP_API_VERSION,
                        "v1",
                        PoolFilter.APP_KIND,
                        "Deployment",
                        PoolFilter.APP_NAMESPACE,
                        "default",
                        PoolFilter.APP_NAME,
                        "web")))
            .build();
    PoolView auto6 = pool("auto6-web-eth0-1", IpFamily.V6).build();
    SelectionRequest r =
        annotated(
                SUBNET, "{\"ipv4\":[\"s4\"],\"ipv6\":[\"s6\"]}", IPPOOL, "{\"ipv4\":[\"ignored\"]}")
            .subnetAutoPools(Map.of(IpFamily.V4, auto4.name(), IpFamily.V6, auto6.name()))
            .build();
    PoolSelection s = PoolSelector.select(r, Fixtures.catalog(auto4, auto6));
    assertThat(s.source()).isEqualTo(CandidateSource.SUBNET_ANNOTATION);
    assertThat(s.nics().get(0).poolNames(IpFamily.V4)).containsExactly("auto4-web-eth0-1");
    assertThat(s.nics().get(0).poolNames(IpFamily.V6)).containsExactly("auto6-web-eth0-1");
  }

  @Test
  void disabledFamilyNeedsNoResolvedPool() {
    SelectionRequest r =
        annotated(SUBNET, "{\"ipv4\":[\"s4\"],\"ipv6\":[\"s6\"]}")
            .cluster(ClusterConfig.builder().families(true, false).build())
            .subnetAutoPools(Map.of(IpFamily.V4, "auto4"))
            .build();
    PoolSelection s = PoolSelector.select(r, Fixtures.catalog(Fixtures.v4("auto4")));
    assertThat(s.nics().get(0).pools().keySet()).containsExactly(IpFamily.V4);
  }

  @Test
  void unresolvedAutoPoolIsAProgrammingError() {
    SelectionRequest r = annotated(SUBNET, "{\"ipv6\":[\"s6\"]}").build();
    assertThatThrownBy(() -> PoolSelector.select(r, Fixtures.catalog()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the auto-created IPv6 IPPool of SpiderSubnet s6 must be resolved by the"
                + " caller before selection (SelectionRequest.subnetAutoPools)");
  }

  @Test
  void withSubnetAutoPoolsCopiesTheRequest() {
    SelectionRequest r = annotated(SUBNET, "{\"ipv4\":[\"s4\"]}").build();
    SelectionRequest resolved = r.withSubnetAutoPools(Map.of(IpFamily.V4, "auto4"));
    assertThat(resolved.subnetAutoPools()).containsEntry(IpFamily.V4, "auto4");
    assertThat(resolved).usingRecursiveComparison().ignoringFields("subnetAutoPools").isEqualTo(r);
  }
}
