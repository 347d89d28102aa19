// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.BuildInfo;
import io.spiderpool.cni.CniEntry;
import io.spiderpool.cni.CniProtocol;
import io.spiderpool.cni.UnixSocketTransport;
import io.spiderpool.daemon.socket.UnixHttpServer;
import io.spiderpool.service.ipam.FakeIpamService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's client and the daemon's handler over a real unix socket, as a runtime would run them. */
class CniSocketRoundTripTest {
  @TempDir Path dir;
  private Path sock;
  private final FakeIpamService ipam = new FakeIpamService();
  private UnixHttpServer server;

  @BeforeEach
  void start() throws IOException {
    sock = dir.resolve("run/spiderpool.sock");
    server = UnixHttpServer.builder(sock)
        .route("POST", CniProtocol.PATH, new CniRequestHandler(ipam, (n, v) -> { }, () -> true))
        .start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private String conf(String version) throws IOException {
    String golden = new String(CniGoldenTest.resource(version + "/netconf.json"), StandardCharsets.UTF_8);
    return golden.replace("\"type\": \"spiderpool\",", "\"type\": \"spiderpool\", \"ipam_unix_socket_path\": \""
        + sock + "\",").replace("/var/log/spidernet/spiderpool.log", dir.resolve("log/cni.log").toString());
  }

  private record Run(int exit, String stdout) {}

  private Run run(Map<String, String> env, String stdin, Duration timeout) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = CniEntry.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
        new UnixSocketTransport(timeout));
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> addEnv(String args) {
    Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c0ffee",
        "CNI_NETNS", "/var/run/netns/x", "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin"));
    env.put("CNI_ARGS", args);
    return env;
  }

  @Test
  void everySpecVersionGetsItsGoldenResultThroughTheSocket() throws IOException {
    for (String version : BuildInfo.CNI_VERSIONS) {
      Run r = run(addEnv("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod1"), conf(version),
          Duration.ofSeconds(10));
      assertThat(r.exit()).as(version).isZero();
      assertThat(r.stdout()).as(version).isEqualTo(
          new String(CniGoldenTest.resource(version + "/add-eth0.json"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void argumentsSurviveTheHeaderEncoding() throws IOException {
    run(addEnv("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod-é 1%;K8S_POD_UID="), conf("1.0.0"),
        Duration.ofSeconds(10));
    assertThat(ipam.adds).singleElement().satisfies(a -> {
      assertThat(a.podName()).isEqualTo("pod-é 1%");
      assertThat(a.podUid()).isEmpty();
    });
  }

  @Test
  void stoppedDaemonMeansTryAgainLaterNamingTheSocket() throws IOException {
    server.close();
    Run r = run(addEnv(""), conf("0.4.0"), Duration.ofSeconds(10));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stdout()).startsWith("{\"cniVersion\":\"0.4.0\",\"code\":11,").contains(sock.toString());
  }

  @Test
  void silentDaemonTimesOutAsTryAgainLater() throws IOException {
    server.close();
    try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      mute.bind(UnixDomainSocketAddress.of(sock));
      long t0 = System.nanoTime();
      Run r = run(addEnv(""), conf("1.0.0"), Duration.ofMillis(300));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(r.stdout()).startsWith("{\"cniVersion\":\"1.0.0\",\"code\":11,");
      try (SocketChannel ignored = mute.accept()) {
        // the client connected; it gave up by itself
      }
    }
  }
}
