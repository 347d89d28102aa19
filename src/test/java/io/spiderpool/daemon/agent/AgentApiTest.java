// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.NoPoolAvailableException;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.error.ReleaseForbiddenException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.daemon.agent.SocketClient.Answer;
import io.spiderpool.daemon.socket.UnixHttpServer;
import io.spiderpool.service.ipam.AddRequest;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.AddResult.IpConfig;
import io.spiderpool.service.ipam.AddResult.RouteConfig;
import io.spiderpool.service.ipam.EndpointView;
import io.spiderpool.service.ipam.FakeIpamService;
import io.spiderpool.service.ipam.ReleaseRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Spiderpool's agent API over a real unix socket, against a fake engine: codes and bodies. */
class AgentApiTest {
  static final String ADD =
      "{\"containerID\":\"c1\",\"ifName\":\"eth0\",\"netNamespace\":\"/proc/1/ns/net\","
          + "\"podNamespace\":\"ns\",\"podName\":\"p\",\"podUID\":\"u1\",\"defaultIPv4IPPool\":[\"v4\"],"
          + "\"cleanGateway\":true}";
  static final String DEL =
      "{\"containerID\":\"c1\",\"ifName\":\"eth0\",\"podNamespace\":\"ns\","
          + "\"podName\":\"p\",\"podUID\":\"u1\"}";

  @TempDir Path dir;
  final FakeIpamService ipam = new FakeIpamService();
  final RecordingMetrics metrics = new RecordingMetrics();
  UnixHttpServer server;
  SocketClient client;

  @BeforeEach
  void start() throws IOException {
    Path sock = dir.resolve("spiderpool.sock");
    server = new AgentApi(ipam, metrics).register(UnixHttpServer.builder(sock)).start();
    client = new SocketClient(sock);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void healthyAndThePlaceholderAnswerEmpty200() throws IOException {
    assertThat(client.send("GET", "/v1/ipam/healthy", null)).isEqualTo(new Answer(200, ""));
    assertThat(client.send("POST", "/v1/ipam/ips", "{}")).isEqualTo(new Answer(200, ""));
  }

  @Test
  void addBindsEveryFieldAndAnswersSpiderpoolsModel() throws IOException {
    ipam.addResult =
        new AddResult(
            List.of(
                new IpConfig(4, "10.6.0.10/16", "eth0", "v4", "10.6.0.1", 0, false, true),
                new IpConfig(6, "fd00::a/64", "eth0", "v6", null, 100, true, false)),
            List.of(new RouteConfig("eth0", "10.7.0.0/16", "10.6.0.1")));
    Answer a = client.send("POST", "/v1/ipam/ip", ADD);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body())
        .isEqualTo(
            "{\"ips\":["
                + "{\"address\":\"10.6.0.10/16\",\"enableIPConflictDetection\":true,\"gateway\":\"10.6.0.1\","
                + "\"ipPool\":\"v4\",\"nic\":\"eth0\",\"version\":4},"
                + "{\"address\":\"fd00::a/64\",\"enableGatewayDetection\":true,\"ipPool\":\"v6\",\"nic\":\"eth0\","
                + "\"version\":6,\"vlan\":100}],"
                + "\"routes\":[{\"dst\":\"10.7.0.0/16\",\"gw\":\"10.6.0.1\",\"ifName\":\"eth0\"}]}");
    assertThat(ipam.adds)
        .containsExactly(
            new AddRequest(
                "c1",
                "eth0",
                "/proc/1/ns/net",
                "ns",
                "p",
                "u1",
                List.of("v4"),
                List.of(),
                true,
                false));
    assertThat(metrics.calls).containsExactly("allocated");
  }

  @Test
  void requiredMeansPresentSoEmptyStringsAndOtherCasesPass() throws IOException {
    String body =
        "{\"ContainerID\":\"\",\"ifname\":\"\",\"netNamespace\":\"\",\"podNamespace\":\"\","
            + "\"podName\":\"\",\"podUID\":\"\",\"unknown\":1}";
    assertThat(client.send("POST", "/v1/ipam/ip", body).status()).isEqualTo(200);
    assertThat(ipam.adds.get(0).containerId()).isEmpty();
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of(
            "POST",
            "/v1/ipam/ip",
            null,
            422,
            "{\"code\":602,\"message\":\"ipam-add-args in body is required\"}"),
        Arguments.of(
            "POST",
            "/v1/ipam/ip",
            "null",
            422,
            "{\"code\":602,\"message\":\"containerID in body is required\"}"),
        Arguments.of(
            "POST",
            "/v1/ipam/ip",
            ADD.replace("\"ifName\":\"eth0\",", "").replace("\"podUID\":\"u1\",", ""),
            422,
            "{\"code\":602,\"message\":\"ifName in body is required\"}"),
        Arguments.of(
            "POST",
            "/v1/ipam/ip",
            ADD.replace("\"podName\":\"p\"", "\"podName\":null"),
            422,
            "{\"code\":602,\"message\":\"podName in body is required\"}"),
        Arguments.of(
            "DELETE",
            "/v1/ipam/ip",
            DEL.replace("\"podUID\":\"u1\"", "\"x\":1"),
            422,
            "{\"code\":602,\"message\":\"podUID in body is required\"}"),
        Arguments.of(
            "DELETE",
            "/v1/ipam/ips",
            "{\"containerID\":\"c\"}",
            422,
            "{\"code\":602,\"message\":\"podName in body is required\"}"),
        Arguments.of(
            "GET",
            "/v1/workloadendpoint?podName=p",
            null,
            422,
            "{\"code\":602,\"message\":\"podNamespace in query is required\"}"),
        Arguments.of(
            "GET",
            "/v1/workloadendpoint?podNamespace=ns&podName=",
            null,
            422,
            "{\"code\":602,\"message\":\"podName in query is required\"}"));
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void bindingFailuresAreGoOpenapiErrors(
      String method, String target, String body, int status, String json) throws IOException {
    assertThat(client.send(method, target, body)).isEqualTo(new Answer(status, json));
    assertThat(ipam.adds).isEmpty();
    assertThat(ipam.releases).isEmpty();
  }

  @Test
  void undecodableBodiesAreParseErrors() throws IOException {
    Answer notJson = client.send("POST", "/v1/ipam/ip", "{\"containerID\":");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body())
        .startsWith(
            "{\"code\":400,\"message\":\"parsing ipam-add-args body from \\\"\\\" failed, because ");
    Answer wrongType = client.send("POST", "/v1/ipam/ip", ADD.replace("\"c1\"", "5"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.body()).contains("containerID must be a string, not a number");
    assertThat(client.send("DELETE", "/v1/ipam/ip", "[]").status()).isEqualTo(400);
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            new PoolExhaustedException("all IP addresses used out"),
            IpamMetrics.Failure.IP_USED_OUT),
        Arguments.of(
            new NoPoolAvailableException("no IPPool available"),
            IpamMetrics.Failure.NO_AVAILABLE_POOL),
        Arguments.of(
            new TransientException("retries exhausted"), IpamMetrics.Failure.RETRIES_EXHAUSTED),
        Arguments.of(
            new InvalidInputException("bad annotation"), IpamMetrics.Failure.RETRIES_EXHAUSTED),
        Arguments.of(new IllegalStateException("bug"), IpamMetrics.Failure.INTERNAL));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void engineFailuresAre500WithTheMessageAsAJsonStringAndCountedByReason(
      RuntimeException e, IpamMetrics.Failure reason) throws IOException {
    ipam.failure = e;
    assertThat(client.send("POST", "/v1/ipam/ip", ADD))
        .isEqualTo(new Answer(500, "\"" + e.getMessage() + "\""));
    assertThat(client.send("DELETE", "/v1/ipam/ip", DEL))
        .isEqualTo(new Answer(500, "\"" + e.getMessage() + "\""));
    assertThat(metrics.calls)
        .containsExactly("allocationFailed " + reason, "releaseFailed " + reason);
  }

  @Test
  void releaseBindsIpamDelArgs() throws IOException {
    assertThat(client.send("DELETE", "/v1/ipam/ip", DEL)).isEqualTo(new Answer(200, ""));
    assertThat(ipam.releases)
        .containsExactly(new ReleaseRequest("c1", "eth0", "", "ns", "p", "u1", false));
    assertThat(metrics.calls).containsExactly("released");
  }

  @Test
  void batchReleaseCoversEveryNicAndAnswersTheEnginesRefusalCodes() throws IOException {
    String batch =
        "{\"containerID\":\"c1\",\"netNamespace\":\"n\",\"podNamespace\":\"ns\",\"podName\":\"p\","
            + "\"podUID\":\"u1\",\"isReleaseConflictIPs\":true}";
    assertThat(client.send("DELETE", "/v1/ipam/ips", batch)).isEqualTo(new Answer(200, ""));
    assertThat(ipam.releases)
        .containsExactly(new ReleaseRequest("c1", null, "n", "ns", "p", "u1", true));

    ipam.failure =
        new ReleaseForbiddenException(522, "forbid releasing IPs for stateful workload ns/p");
    assertThat(client.send("DELETE", "/v1/ipam/ips", batch))
        .isEqualTo(new Answer(522, "\"forbid releasing IPs for stateful workload ns/p\""));
    ipam.failure =
        new ReleaseForbiddenException(521, "forbid releasing IPs for stateless workload");
    assertThat(client.send("DELETE", "/v1/ipam/ips", batch))
        .isEqualTo(new Answer(521, "\"forbid releasing IPs for stateless workload\""));
    assertThat(metrics.calls).containsExactly("released");
  }

  @Test
  void workloadEndpointIsFoundOr404() throws IOException {
    ipam.endpoints.add(
        new EndpointView(
            "ns",
            "p",
            "u1",
            "node1",
            List.of(
                new EndpointView.Interface(
                    "eth0",
                    "10.6.0.10/16",
                    null,
                    "v4",
                    null,
                    "10.6.0.1",
                    null,
                    null,
                    0,
                    List.of(new RouteConfig("eth0", "10.7.0.0/16", "10.6.0.1"))))));
    assertThat(client.send("GET", "/v1/workloadendpoint?podNamespace=ns&podName=p", null))
        .isEqualTo(
            new Answer(
                200,
                "{\"interfaces\":[{\"interface\":\"eth0\",\"ipv4\":\"10.6.0.10/16\",\"ipv4Gateway\":\"10.6.0.1\","
                    + "\"ipv4Pool\":\"v4\",\"routes\":[{\"dst\":\"10.7.0.0/16\",\"gw\":\"10.6.0.1\"}]}],"
                    + "\"node\":\"node1\",\"podName\":\"p\",\"podNamespace\":\"ns\",\"podUID\":\"u1\"}"));
    assertThat(client.send("GET", "/v1/workloadendpoint?podNamespace=ns&podName=q", null))
        .isEqualTo(new Answer(404, "\"SpiderEndpoint not found for pod ns/q\""));
  }

  @Test
  void coordinatorConfigIsNotServedYetAndUnknownRoutesAre404Or405() throws IOException {
    assertThat(client.send("GET", "/v1/coordinator/config", null))
        .isEqualTo(new Answer(500, "\"coordinator config not found\""));
    assertThat(client.send("GET", "/v1/nothing", null).status()).isEqualTo(404);
    assertThat(client.send("PUT", "/v1/ipam/ip", "{}").status()).isEqualTo(405);
  }

  /** Records metric calls in order. */
  static final class RecordingMetrics implements IpamMetrics {
    final List<String> calls = new ArrayList<>();

    @Override
    public synchronized void allocated(Duration took) {
      calls.add("allocated");
    }

    @Override
    public synchronized void allocationFailed(Failure reason, Duration took) {
      calls.add("allocationFailed " + reason);
    }

    @Override
    public synchronized void released(Duration took) {
      calls.add("released");
    }

    @Override
    public synchronized void releaseFailed(Failure reason, Duration took) {
      calls.add("releaseFailed " + reason);
    }
  }
}
