// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Options, then Spiderpool's agent variables, then its defaults; every bad value named. */
class DaemonSettingsTest {
  static final Map<String, String> NODE = Map.of("SPIDERPOOL_NODE_NAME", "node1");

  @Test
  void defaultsAreSpiderpoolsAgentDefaults() {
    DaemonSettings s = DaemonSettings.resolve(DaemonOptions.NONE, NODE);
    assertThat(s)
        .isEqualTo(
            new DaemonSettings(
                null, "node1", "", "", null, 5710, 5711, false, null, 5000, "info", true, null));
    assertThat(s.agentNamespace()).isEqualTo("kube-system");
    assertThat(s.socketPath("/var/run/spidernet/spiderpool.sock"))
        .isEqualTo(Path.of("/var/run/spidernet/spiderpool.sock"));
  }

  @Test
  void theControllerBindsWhereDocsMetricsMdSays() {
    DaemonSettings s = DaemonSettings.resolveController(DaemonOptions.NONE, Map.of());
    assertThat(s.healthPort()).isEqualTo(5720);
    assertThat(s.metricsPort()).isEqualTo(5721);
    assertThat(s.metricsEnabled()).isFalse();
    assertThat(s.healthBindAddress(true)).isEqualTo("127.0.0.1");
    assertThat(s.metricsAddress()).isEqualTo("127.0.0.1");
    DaemonSettings inPod =
        DaemonSettings.resolveController(
            DaemonOptions.NONE,
            Map.of(
                "SPIDERPOOL_POD_IP",
                "10.6.0.4",
                "SPIDERPOOL_ENABLED_METRIC",
                "true",
                "SPIDERPOOL_METRIC_HTTP_PORT",
                "15721"));
    assertThat(inPod.metricsAddress()).as("Prometheus scrapes the Pod").isEqualTo("10.6.0.4");
    assertThat(inPod.healthBindAddress(true))
        .as("the kubelet probes locally")
        .isEqualTo("127.0.0.1");
    assertThat(inPod.metricsEnabled()).isTrue();
    assertThat(inPod.metricsPort()).isEqualTo(15721);
  }

  @Test
  void theEnvironmentOfTheUpstreamDaemonSetIsRead() {
    DaemonSettings s =
        DaemonSettings.resolve(
            DaemonOptions.NONE,
            Map.of(
                "SPIDERPOOL_NODE_NAME",
                "n",
                "SPIDERPOOL_POD_NAME",
                "agent-x",
                "SPIDERPOOL_POD_NAMESPACE",
                "kube-system",
                "SPIDERPOOL_HEALTH_PORT",
                "15710",
                "SPIDERPOOL_METRIC_HTTP_PORT",
                "15711",
                "SPIDERPOOL_ENABLED_METRIC",
                "true",
                "SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS",
                "100",
                "SPIDERPOOL_LOG_LEVEL",
                "DEBUG",
                "SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS",
                "false",
                "MULTUS_CLUSTER_NETWORK",
                "kube-system/macvlan"));
    assertThat(s)
        .isEqualTo(
            new DaemonSettings(
                null,
                "n",
                "agent-x",
                "kube-system",
                null,
                15710,
                15711,
                true,
                null,
                100,
                "debug",
                false,
                "kube-system/macvlan"));
    assertThat(s.agentNamespace()).isEqualTo("kube-system");
  }

  @Test
  void optionsWinOverTheEnvironment() {
    DaemonOptions o =
        new DaemonOptions("/k", "opt-node", "p", "ns", "/tmp/s.sock", "0", "9", "false", "/c.yml");
    DaemonSettings s =
        DaemonSettings.resolve(
            o,
            Map.of(
                "SPIDERPOOL_NODE_NAME",
                "env-node",
                "SPIDERPOOL_HEALTH_PORT",
                "1",
                "SPIDERPOOL_ENABLED_METRIC",
                "true"));
    assertThat(s)
        .isEqualTo(
            new DaemonSettings(
                Path.of("/k"),
                "opt-node",
                "p",
                "ns",
                Path.of("/tmp/s.sock"),
                0,
                9,
                false,
                Path.of("/c.yml"),
                5000,
                "info",
                true,
                null));
    assertThat(s.agentNamespace()).isEqualTo("ns");
    assertThat(s.socketPath("/ignored")).isEqualTo(Path.of("/tmp/s.sock"));
  }

  @Test
  void probesListenOnLoopbackAndMetricsOnThePodIpUnlessTold() {
    DaemonSettings d = DaemonSettings.resolve(DaemonOptions.NONE, NODE);
    assertThat(d.healthBindAddress(true)).isEqualTo("127.0.0.1");
    assertThat(d.healthBindAddress(false)).as("IPv4 disabled in conf.yml").isEqualTo("::1");
    assertThat(d.metricsAddress()).isEqualTo("127.0.0.1");

    DaemonSettings pod =
        DaemonSettings.resolve(
            DaemonOptions.NONE,
            Map.of("SPIDERPOOL_NODE_NAME", "n", "SPIDERPOOL_POD_IP", "10.6.0.4"));
    assertThat(pod.metricsAddress()).isEqualTo("10.6.0.4");
    assertThat(pod.healthBindAddress(true)).as("probes stay on loopback").isEqualTo("127.0.0.1");

    DaemonSettings set =
        DaemonSettings.resolve(
            DaemonOptions.NONE,
            Map.of(
                "SPIDERPOOL_NODE_NAME",
                "n",
                "SPIDERPOOL_POD_IP",
                "10.6.0.4",
                "SPIDERPOOL_HEALTH_ADDRESS",
                "10.6.0.4",
                "SPIDERPOOL_METRIC_HTTP_ADDRESS",
                "0.0.0.0"));
    assertThat(set.healthBindAddress(true)).isEqualTo("10.6.0.4");
    assertThat(set.metricsAddress()).isEqualTo("0.0.0.0");

    DaemonOptions o =
        new DaemonOptions(null, null, null, null, null, null, null, null, null, "::1", "fd00::9");
    DaemonSettings opt =
        DaemonSettings.resolve(
            o, Map.of("SPIDERPOOL_NODE_NAME", "n", "SPIDERPOOL_HEALTH_ADDRESS", "10.6.0.4"));
    assertThat(opt.healthBindAddress(true)).isEqualTo("::1");
    assertThat(opt.metricsAddress()).isEqualTo("fd00::9");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            Map.of(), "the node name is required: pass --node-name or set SPIDERPOOL_NODE_NAME"),
        Arguments.of(Map.of("SPIDERPOOL_NODE_NAME", "  "), "the node name is required"),
        Arguments.of(
            env("SPIDERPOOL_HEALTH_PORT", "http"),
            "SPIDERPOOL_HEALTH_PORT=http is not a TCP port: write a number from 1 to 65535"),
        Arguments.of(
            env("SPIDERPOOL_METRIC_HTTP_PORT", "70000"),
            "SPIDERPOOL_METRIC_HTTP_PORT=70000 is not a TCP port"),
        Arguments.of(
            env("SPIDERPOOL_ENABLED_METRIC", "yes"),
            "SPIDERPOOL_ENABLED_METRIC=yes is not a boolean: write true or false"),
        Arguments.of(
            env("SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS", "on"),
            "SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS=on is not a boolean"),
        Arguments.of(
            env("SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS", "0"),
            "SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS=0 is not a whole number >= 1: write e.g. 5000 (the default)"),
        Arguments.of(
            env("SPIDERPOOL_HEALTH_ADDRESS", "localhost"),
            "SPIDERPOOL_HEALTH_ADDRESS=localhost is not an IP address to listen on"),
        Arguments.of(
            env("SPIDERPOOL_METRIC_HTTP_ADDRESS", "10.0.0.300"),
            "SPIDERPOOL_METRIC_HTTP_ADDRESS=10.0.0.300 is not an IP address to listen on"),
        Arguments.of(
            env("SPIDERPOOL_LOG_LEVEL", "verbose"),
            "SPIDERPOOL_LOG_LEVEL=verbose is not a log level: write one of debug, info, warn, error, fatal, panic"));
  }

  private static Map<String, String> env(String key, String value) {
    return Map.of("SPIDERPOOL_NODE_NAME", "n", key, value);
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesAreNamedWithTheFix(Map<String, String> env, String message) {
    assertThatThrownBy(() -> DaemonSettings.resolve(DaemonOptions.NONE, env))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aBadOptionIsNamedByItsFlagAndAllProblemsAreReportedTogether() {
    DaemonOptions o = new DaemonOptions(null, null, null, null, null, "-1", null, "maybe", null);
    assertThatThrownBy(() -> DaemonSettings.resolve(o, Map.of()))
        .hasMessageContaining("the node name is required")
        .hasMessageContaining("--health-port=-1 is not a TCP port")
        .hasMessageContaining("--enable-metric=maybe is not a boolean");
  }
}
