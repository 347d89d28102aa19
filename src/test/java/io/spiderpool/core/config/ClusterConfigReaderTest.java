// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.net.IpFamily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterConfigReaderTest {

  static ClusterConfig json(String text) {
    return ClusterConfigReader.read(JsonReader.parse(text));
  }

  /** What the Spiderpool chart renders with default values. */
  static final String CHART_DEFAULT =
      "{"
          + "\"ipamUnixSocketPath\":\"/var/run/spidernet/spiderpool.sock\","
          + "\"enableIPv4\":true,\"enableIPv6\":true,\"enableStatefulSet\":true,"
          + "\"enableKubevirtStaticIP\":true,\"enableCleanOutdatedEndpoint\":false,"
          + "\"enableSpiderSubnet\":true,\"enableAutoPoolForApplication\":true,"
          + "\"enableIPConflictDetection\":false,\"enableGatewayDetection\":false,"
          + "\"enableValidatingResourcesDeletedWebhook\":false,"
          + "\"clusterSubnetDefaultFlexibleIPNumber\":1,\"tuneSysctlConfig\":true,"
          + "\"podResourceInject\":{\"enabled\":false,\"namespacesExclude\":[\"kube-system\","
          + "\"spiderpool\",\"metallb-system\",\"istio-system\"],\"namespacesInclude\":[]},"
          + "\"iaasNetworkProvider\":{\"serverUrl\":\"\",\"httpRequestTimeout\":\"30s\","
          + "\"eniDevPlugin\":{\"enabled\":false}}}";

  @Test
  void chartRenderingEqualsTheDefaults() {
    ClusterConfig c = json(CHART_DEFAULT);
    assertThat(c.unknownKeys()).isEmpty();
    assertThat(c.deprecatedKeys()).isEmpty();
    ClusterConfig d = ClusterConfig.DEFAULTS;
    assertThat(c).usingRecursiveComparison().ignoringFields("iaasNetworkProvider").isEqualTo(d);
    assertThat(c.iaasNetworkProvider()).containsKey("eniDevPlugin");
  }

  @Test
  void emptyDocumentGivesChartDefaults() {
    ClusterConfig d = ClusterConfigReader.read(null);
    assertThat(d).isEqualTo(ClusterConfig.DEFAULTS);
    assertThat(d.ipamUnixSocketPath()).isEqualTo("/var/run/spidernet/spiderpool.sock");
    assertThat(
            List.of(
                d.enableIpv4(),
                d.enableIpv6(),
                d.enableStatefulSet(),
                d.enableKubevirtStaticIp(),
                d.enableSpiderSubnet(),
                d.enableAutoPoolForApplication(),
                d.tuneSysctlConfig()))
        .containsOnly(true);
    assertThat(
            List.of(
                d.enableCleanOutdatedEndpoint(),
                d.enableIpConflictDetection(),
                d.enableGatewayDetection(),
                d.enableValidatingResourcesDeletedWebhook()))
        .containsOnly(false);
    assertThat(d.clusterSubnetDefaultFlexibleIpNumber()).isEqualTo(1);
    assertThat(d.podResourceInject()).isEqualTo(PodResourceInject.DEFAULTS);
    assertThat(d.iaasServerUrl()).isEmpty();
    assertThat(d.iaasHttpRequestTimeout()).isEqualTo("30s");
    assertThat(json("{}")).isEqualTo(ClusterConfig.DEFAULTS);
  }

  static Stream<Arguments> overrides() {
    return Stream.of(
        arguments("{\"enableIPv4\":false}", f(ClusterConfig::enableIpv4), false),
        arguments("{\"enableIPv6\":false}", f(ClusterConfig::enableIpv6), false),
        arguments("{\"enableStatefulSet\":false}", f(ClusterConfig::enableStatefulSet), false),
        arguments(
            "{\"enableKubevirtStaticIP\":false}", f(ClusterConfig::enableKubevirtStaticIp), false),
        arguments("{\"enableSpiderSubnet\":false}", f(ClusterConfig::enableSpiderSubnet), false),
        arguments(
            "{\"enableAutoPoolForApplication\":false}",
            f(ClusterConfig::enableAutoPoolForApplication),
            false),
        arguments(
            "{\"enableCleanOutdatedEndpoint\":true}",
            f(ClusterConfig::enableCleanOutdatedEndpoint),
            true),
        arguments(
            "{\"enableIPConflictDetection\":true}",
            f(ClusterConfig::enableIpConflictDetection),
            true),
        arguments(
            "{\"enableGatewayDetection\":true}", f(ClusterConfig::enableGatewayDetection), true),
        arguments(
            "{\"enableValidatingResourcesDeletedWebhook\":true}",
            f(ClusterConfig::enableValidatingResourcesDeletedWebhook),
            true),
        arguments("{\"tuneSysctlConfig\":false}", f(ClusterConfig::tuneSysctlConfig), false),
        arguments("{\"enableIPv4\":null}", f(ClusterConfig::enableIpv4), true),
        arguments(
            "{\"ipamUnixSocketPath\":\"/run/sp.sock\"}",
            f(ClusterConfig::ipamUnixSocketPath),
            "/run/sp.sock"),
        arguments(
            "{\"ipamUnixSocketPath\":\"\"}",
            f(ClusterConfig::ipamUnixSocketPath),
            "/var/run/spidernet/spiderpool.sock"),
        arguments(
            "{\"clusterSubnetDefaultFlexibleIPNumber\":0}",
            f(ClusterConfig::clusterSubnetDefaultFlexibleIpNumber),
            0),
        arguments(
            "{\"clusterSubnetAutoPoolDefaultRedundantIPNumber\":3}",
            f(ClusterConfig::clusterSubnetDefaultFlexibleIpNumber),
            3),
        arguments(
            "{\"clusterSubnetDefaultFlexibleIPNumber\":2,"
                + "\"clusterSubnetAutoPoolDefaultRedundantIPNumber\":5}",
            f(ClusterConfig::clusterSubnetDefaultFlexibleIpNumber),
            5),
        arguments(
            "{\"podResourceInject\":{\"enabled\":true,\"namespacesInclude\":[\"a\"]}}",
            f(ClusterConfig::podResourceInject),
            new PodResourceInject(
                true, PodResourceInject.DEFAULTS.namespacesExclude(), List.of("a"))),
        arguments(
            "{\"iaasNetworkProvider\":{\"serverUrl\":\"http://p\","
                + "\"httpRequestTimeout\":\"50s\"}}",
            f(c -> c.iaasServerUrl() + " " + c.iaasHttpRequestTimeout()),
            "http://p 50s"),
        arguments(
            "{\"agent\":{\"networkResourcePlugin\":{\"enabled\":true}}}",
            f(c -> c.agent().keySet()),
            Set.of("networkResourcePlugin")));
  }

  static Function<ClusterConfig, Object> f(Function<ClusterConfig, Object> getter) {
    return getter;
  }

  @ParameterizedTest
  @MethodSource("overrides")
  void readsEachKey(String doc, Function<ClusterConfig, Object> getter, Object expected) {
    assertThat(getter.apply(json(doc))).isEqualTo(expected);
  }

  @Test
  void legacyDefaultPoolsAreKeptAndReportedDeprecated() {
    ClusterConfig c =
        json(
            "{\"clusterDefaultIPv4IPPool\":[\"default-v4-ippool\"],"
                + "\"clusterDefaultIPv6IPPool\":[\"default-v6-ippool\"],"
                + "\"clusterDefaultIPv4Subnet\":[\"s\"]}");
    assertThat(c.legacyDefaultIpv4Pools()).containsExactly("default-v4-ippool");
    assertThat(c.legacyDefaultIpv6Pools()).containsExactly("default-v6-ippool");
    assertThat(c.deprecatedKeys())
        .containsExactly(
            "clusterDefaultIPv4IPPool", "clusterDefaultIPv6IPPool", "clusterDefaultIPv4Subnet");
    assertThat(c.unknownKeys()).isEmpty();
  }

  @Test
  void unknownKeysAreListedNotFatal() {
    ClusterConfig c =
        json(
            "{\"enableIPv4\":true,\"futureFeature\":1,"
                + "\"podResourceInject\":{\"enabled\":true,\"newKnob\":2},\"dra\":{\"enabled\":false}}");
    assertThat(c.unknownKeys()).containsExactly("futureFeature", "podResourceInject.newKnob");
    assertThat(c.podResourceInject().enabled()).isTrue();
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        arguments(
            "{\"enableIPv4\":\"true\"}",
            "enableIPv4 must be a boolean (true or false), not a string"),
        arguments(
            "{\"enableIPv6\":1}",
            "enableIPv6 must be a boolean (true or false), not a" + " number"),
        arguments(
            "{\"ipamUnixSocketPath\":true}", "ipamUnixSocketPath must be a string, not a boolean"),
        arguments(
            "{\"clusterSubnetDefaultFlexibleIPNumber\":\"1\"}",
            "clusterSubnetDefaultFlexibleIPNumber must be an integer, not a string"),
        arguments(
            "{\"clusterSubnetDefaultFlexibleIPNumber\":1.5}",
            "clusterSubnetDefaultFlexibleIPNumber must be an integer, not a number"),
        arguments(
            "{\"clusterSubnetAutoPoolDefaultRedundantIPNumber\":-1}",
            "clusterSubnetAutoPoolDefaultRedundantIPNumber is -1: write 0 or more"),
        arguments(
            "{\"podResourceInject\":[]}", "podResourceInject must be an object, not an" + " array"),
        arguments(
            "{\"podResourceInject\":{\"namespacesExclude\":\"kube-system\"}}",
            "podResourceInject.namespacesExclude must be an array of strings, not a string"),
        arguments(
            "{\"iaasNetworkProvider\":{\"serverUrl\":1}}",
            "iaasNetworkProvider.serverUrl must be a string, not a number"),
        arguments(
            "{\"clusterDefaultIPv4IPPool\":\"p\"}",
            "clusterDefaultIPv4IPPool must be an array of strings, not a string"),
        arguments("{\"agent\":true}", "agent must be an object, not a boolean"),
        arguments("[]", "the document must be an object, not an array"));
  }

  @ParameterizedTest
  @MethodSource("wrongTypes")
  void wrongTypesNameTheKeyAndTheExpectedType(String doc, String message) {
    assertThatThrownBy(() -> json(doc))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("ConfigMap spiderpool-conf, conf.yml: " + message);
  }

  @Test
  void acceptsYamlShapedTrees() {
    Map<Object, Object> yaml = new LinkedHashMap<>();
    yaml.put("enableIPv6", Boolean.FALSE);
    yaml.put("clusterSubnetDefaultFlexibleIPNumber", 4);
    yaml.put("agent", null);
    ClusterConfig c = ClusterConfigReader.read(yaml);
    assertThat(c.enabled(IpFamily.V6)).isFalse();
    assertThat(c.enabled(IpFamily.V4)).isTrue();
    assertThat(c.clusterSubnetDefaultFlexibleIpNumber()).isEqualTo(4);

    Map<Object, Object> badKey = Map.of(1, "x");
    assertThatThrownBy(() -> ClusterConfigReader.read(badKey))
        .hasMessage(
            "ConfigMap spiderpool-conf, conf.yml: the document has the key 1 (a number): keys must"
                + " be strings");
  }

  @Test
  void builderSetsFamiliesSubnetAndLegacyPools() {
    ClusterConfig c =
        ClusterConfig.builder()
            .families(true, false)
            .spiderSubnet(true, false)
            .flexibleIpNumber(0)
            .legacyDefaultPools(List.of("a"), List.of())
            .build();
    assertThat(c.enableIpv6()).isFalse();
    assertThat(c.enableAutoPoolForApplication()).isFalse();
    assertThat(c.clusterSubnetDefaultFlexibleIpNumber()).isZero();
    assertThat(c.legacyDefaultIpv4Pools()).containsExactly("a");
  }
}
