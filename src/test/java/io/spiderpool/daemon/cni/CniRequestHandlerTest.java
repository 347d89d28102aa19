// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.NoPoolAvailableException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.service.ipam.AddRequest;
import io.spiderpool.service.ipam.EndpointView;
import io.spiderpool.service.ipam.FakeIpamService;
import io.spiderpool.service.ipam.ReleaseRequest;
import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation, error mapping and engine calls of the daemon-side CNI handler. */
class CniRequestHandlerTest {
  private static final String CONF =
      "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"spiderpool\"}}";
  private static final String ARGS =
      "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod1;K8S_POD_UID=uid-1";

  private final FakeIpamService ipam = new FakeIpamService();
  private boolean ready = true;
  private final CniRequestHandler handler =
      new CniRequestHandler(
          ipam,
          (n, v) -> {
            throw new TransientException("GC: 2 of 5 releases failed: apiserver timeout");
          },
          () -> ready);

  private static Map<String, String> env(String... kv) {
    Map<String, String> h =
        new HashMap<>(
            Map.of(
                "x-cni-command",
                "ADD",
                "x-cni-containerid",
                "c1",
                "x-cni-netns",
                "/proc/1/ns/net",
                "x-cni-ifname",
                "eth0",
                "x-cni-path",
                "/opt/cni/bin",
                "x-cni-args",
                ARGS));
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        h.remove(kv[i]);
      } else {
        h.put(kv[i], kv[i + 1]);
      }
    }
    return h;
  }

  private String call(Map<String, String> headers, String body) {
    HttpResponse r =
        handler.handle(
            new HttpRequest(
                "POST", "/v1/cni", Map.of(), headers, body.getBytes(StandardCharsets.UTF_8)));
    return r.headers().get("X-Cni-Exit")
        + " "
        + new String(r.body(), StandardCharsets.UTF_8).trim();
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            "missing variables reported together",
            env("x-cni-netns", null, "x-cni-ifname", null),
            CONF,
            "1 {\"cniVersion\":\"1.1.0\",\"code\":4,\"msg\":\"required env variables [CNI_NETNS,CNI_IFNAME] missing\"}"),
        Arguments.of(
            "DEL needs no netns", env("x-cni-command", "DEL", "x-cni-netns", null), CONF, "0 "),
        Arguments.of(
            "unknown command",
            env("x-cni-command", "FROB"),
            CONF,
            "1 {\"cniVersion\":\"1.1.0\",\"code\":4,\"msg\":\"unknown CNI_COMMAND: FROB\","
                + "\"details\":\"use one of ADD, DEL, CHECK, GC, STATUS, VERSION\"}"),
        Arguments.of(
            "bad container id",
            env("x-cni-containerid", "-x"),
            CONF,
            "1 {\"cniVersion\":\"1.1.0\",\"code\":4,\"msg\":\"invalid characters in containerID\",\"details\":\"-x\"}"),
        Arguments.of(
            "interface name too long",
            env("x-cni-ifname", "eth0123456789abc"),
            CONF,
            "1 {\"cniVersion\":\"1.1.0\",\"code\":4,\"msg\":\"interface name is too long\",\"details\":"
                + "\"CNI_IFNAME \\\"eth0123456789abc\\\": use at most 15 characters, none of / : or whitespace\"}"),
        Arguments.of(
            "not JSON",
            env(),
            "{\"cniVersion\":",
            "1 {\"cniVersion\":\"1.1.0\",\"code\":6,\"msg\":\"decoding version from network config\","),
        Arguments.of(
            "no cniVersion",
            env(),
            "{\"name\":\"n\"}",
            "1 {\"cniVersion\":\"1.1.0\",\"code\":1,\"msg\":\"incompatible CNI versions\",\"details\":\"config is"
                + " \\\"0.1.0\\\", plugin supports [\\\"0.3.0\\\" \\\"0.3.1\\\" \\\"0.4.0\\\" \\\"1.0.0\\\" \\\"1.1.0\\\"]\"}"),
        Arguments.of(
            "unknown log level",
            env(),
            "{\"cniVersion\":\"0.3.1\",\"ipam\":{\"log_level\":\"loud\"}}",
            "1 {\"cniVersion\":\"0.3.1\",\"code\":7,\"msg\":\"invalid network config\",\"details\":\"ipam.log_level is"
                + " \\\"loud\\\": use one of debug, info, warn, error, fatal, panic\"}"),
        Arguments.of(
            "number as a bad string",
            env(),
            "{\"cniVersion\":\"1.0.0\",\"ipam\":{\"log_file_max_size\":\"1G\"}}",
            "1 {\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"invalid network config\",\"details\":"
                + "\"ipam.log_file_max_size is \\\"1G\\\": write a whole number such as 100\"}"),
        Arguments.of(
            "pool list of the wrong type",
            env(),
            "{\"cniVersion\":\"1.0.0\",\"ipam\":{\"default_ipv4_ippool\":\"p\"}}",
            "1 {\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"invalid network config\",\"details\":"
                + "\"ipam.default_ipv4_ippool must be an array of strings, not a string\"}"),
        Arguments.of(
            "unknown CNI_ARGS key",
            env("x-cni-args", "K8S_POD_NAME=p;FOO=1"),
            CONF,
            "1 {\"cniVersion\":\"1.0.0\",\"code\":4,\"msg\":\"ARGS: unknown args [FOO]\","
                + "\"details\":\"add IgnoreUnknown=1 to CNI_ARGS to ignore them\"}"),
        Arguments.of(
            "GC without valid attachments",
            env("x-cni-command", "GC"),
            "{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}",
            "1 {\"cniVersion\":\"1.1.0\",\"code\":7,\"msg\":\"invalid network config\",\"details\":\"GC needs"
                + " cni.dev/valid-attachments; without it every allocation would look like garbage\"}"),
        Arguments.of(
            "GC failure is try again later",
            env("x-cni-command", "GC"),
            "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"cni.dev/valid-attachments\":[]}",
            "1 {\"cniVersion\":\"1.1.0\",\"code\":11,\"msg\":\"GC: 2 of 5 releases failed: apiserver timeout\"}"),
        Arguments.of(
            "CHECK with no record",
            env("x-cni-command", "CHECK"),
            CONF,
            "1 {\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"no IP allocation recorded for Pod ns1/pod1\","
                + "\"details\":\"its SpiderEndpoint is gone; delete and re-create the Pod sandbox\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void validatesAsSkelDoes(String name, Map<String, String> headers, String body, String expected) {
    assertThat(call(headers, body)).startsWith(expected);
  }

  static Stream<Arguments> engineFailures() {
    return Stream.of(
        Arguments.of(new InvalidInputException("annotation ipam.spidernet.io/ippool: bad"), 7),
        Arguments.of(new NoPoolAvailableException("no IPPool available for eth0"), 999),
        Arguments.of(new TransientException("apiserver unreachable"), 11),
        Arguments.of(new IllegalStateException("bug"), 999));
  }

  @ParameterizedTest
  @MethodSource("engineFailures")
  void mapsEngineFailuresToSpecCodes(RuntimeException failure, int code) {
    ipam.failure = failure;
    assertThat(call(env(), CONF)).startsWith("1 {\"cniVersion\":\"1.0.0\",\"code\":" + code + ",");
  }

  @Test
  void addPassesPodIdentityAndConfigDefaults() {
    String conf =
        "{\"cniVersion\":\"0.4.0\",\"ipam\":{\"default_ipv4_ippool\":[\"a\",\"b*\"],"
            + "\"default_ipv6_ippool\":[\"c\"],\"clean_gateway\":\"true\",\"match_master_subnet\":true}}";
    assertThat(call(env(), conf)).startsWith("0 {\"cniVersion\":\"0.4.0\",\"ips\":");
    assertThat(ipam.adds)
        .containsExactly(
            new AddRequest(
                "c1",
                "eth0",
                "/proc/1/ns/net",
                "ns1",
                "pod1",
                "uid-1",
                List.of("a", "b*"),
                List.of("c"),
                true,
                true));
  }

  @Test
  void delSucceedsEvenWhenTheEngineFails() {
    ipam.failure = new TransientException("apiserver unreachable");
    assertThat(call(env("x-cni-command", "DEL", "x-cni-netns", null), CONF)).isEqualTo("0 ");
    assertThat(ipam.releases)
        .containsExactly(new ReleaseRequest("c1", "eth0", null, "ns1", "pod1", "uid-1", false));
  }

  @Test
  void checkRefusesAnAllocationOfAnotherPodInstance() {
    ipam.endpoints.add(
        new EndpointView(
            "ns1",
            "pod1",
            "uid-OLD",
            "node1",
            List.of(
                new EndpointView.Interface(
                    "eth0",
                    "10.6.0.10/16",
                    null,
                    "v4-pool",
                    null,
                    null,
                    null,
                    null,
                    0,
                    List.of()))));
    assertThat(call(env("x-cni-command", "CHECK"), CONF))
        .contains("\"msg\":\"IP allocation of Pod ns1/pod1 belongs to another instance\"");
  }

  @Test
  void statusIsNotAvailableUntilTheEngineIsReady() {
    ready = false;
    assertThat(call(env("x-cni-command", "STATUS"), "{\"cniVersion\":\"1.1.0\"}"))
        .startsWith(
            "1 {\"cniVersion\":\"1.1.0\",\"code\":50,\"msg\":\"spiderpool daemon is not ready\"");
  }
}
