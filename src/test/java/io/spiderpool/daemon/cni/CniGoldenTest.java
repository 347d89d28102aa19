// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.service.ipam.EndpointView;
import io.spiderpool.service.ipam.FakeIpamService;
import io.spiderpool.wire.CniSpec;
import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden answers per spec version (host-local style): every scenario runs against every version the
 * plugin speaks, and the exact bytes printed are compared with {@code
 * src/test/resources/cni/<version>/<fixture>}; an empty fixture means "success, prints nothing".
 */
class CniGoldenTest {

  /** name, CNI_COMMAND, CNI_IFNAME, engine failure, fixture. */
  static final List<Object[]> SCENARIOS =
      List.of(
          new Object[] {"ADD eth0, dual stack with routes", "ADD", "eth0", null, "add-eth0.json"},
          new Object[] {"ADD net1, no gateway", "ADD", "net1", null, "add-net1.json"},
          new Object[] {
            "ADD, pool exhausted",
            "ADD",
            "eth0",
            new PoolExhaustedException("all IP addresses of IPPool v4-pool have been allocated"),
            "add-exhausted.json"
          },
          new Object[] {"ADD, nothing for this NIC", "ADD", "net9", null, "add-no-nic.json"},
          new Object[] {"CHECK, address recorded", "CHECK", "eth0", null, "check.json"},
          new Object[] {"GC", "GC", null, null, "gc.json"},
          new Object[] {"STATUS, ready", "STATUS", null, null, "status.json"});

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String version : CniSpec.VERSIONS) {
      for (Object[] s : SCENARIOS) {
        out.add(Arguments.of(version, s[0], s[1], s[2], s[3], s[4]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void answersExactlyAsTheFixture(
      String version,
      String name,
      String command,
      String ifName,
      RuntimeException failure,
      String fixture)
      throws IOException {
    FakeIpamService ipam = new FakeIpamService();
    ipam.failure = failure;
    ipam.endpoints.add(
        new EndpointView(
            "ns1",
            "pod1",
            "uid-1",
            "node1",
            List.of(
                new EndpointView.Interface(
                    "eth0",
                    "10.6.0.10/16",
                    null,
                    "v4-pool",
                    null,
                    "10.6.0.1",
                    null,
                    null,
                    0,
                    List.of()))));
    List<Set<Attachment>> collected = new ArrayList<>();
    CniRequestHandler handler =
        new CniRequestHandler(ipam, (net, valid) -> collected.add(valid), () -> true);

    HttpResponse r = handler.handle(request(command, ifName, resource(version + "/netconf.json")));

    String expected = new String(resource(version + "/" + fixture), StandardCharsets.UTF_8);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(r.status()).isEqualTo(200);
    boolean success = expected.isEmpty() || !expected.contains("\"code\":");
    assertThat(r.headers()).containsEntry("X-Cni-Exit", success ? "0" : "1");
    if (command.equals("GC") && success) {
      assertThat(collected)
          .containsExactly(
              Set.of(new Attachment("keep1", "eth0"), new Attachment("keep2", "net1")));
    }
  }

  static HttpRequest request(String command, String ifName, byte[] body) {
    Map<String, String> h = new HashMap<>();
    h.put("x-cni-command", command);
    h.put("x-cni-path", "/opt/cni/bin");
    if (!command.equals("GC") && !command.equals("STATUS")) {
      h.put("x-cni-containerid", "c0ffee");
      h.put("x-cni-netns", "/var/run/netns/cni-1");
      h.put("x-cni-ifname", ifName);
      h.put(
          "x-cni-args",
          "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod1;K8S_POD_UID=uid-1;"
              + "K8S_POD_INFRA_CONTAINER_ID=c0ffee");
    }
    return new HttpRequest("POST", "/v1/cni", Map.of(), h, body);
  }

  static byte[] resource(String path) throws IOException {
    try (InputStream in = CniGoldenTest.class.getResourceAsStream("/cni/" + path)) {
      assertThat(in).as("fixture cni/" + path).isNotNull();
      return in.readAllBytes();
    }
  }
}
