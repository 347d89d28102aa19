// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import static io.spiderpool.testing.Waits.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.spiderpool.cni.CniEntry;
import io.spiderpool.cni.SpoolTransport;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.daemon.agent.SocketClient;
import io.spiderpool.service.ipam.FakeIpamService;
import io.spiderpool.testing.Http;
import io.spiderpool.wire.SpoolLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listeners together: CNI spool, socket, probes and metrics on free ports, then a clean stop.
 */
class NodeDaemonTest {
  @TempDir Path dir;

  private DaemonSettings settings(boolean metrics) {
    return new DaemonSettings(
        null, "node1", "", "", null, 0, 0, metrics, null, 5000, "info", true, null);
  }

  @Test
  void servesProbesAndMetricsAndRemovesTheSocketOnClose() throws Exception {
    Path sock = dir.resolve("run/spiderpool.sock");
    NodeDaemon daemon =
        new NodeDaemon(
                settings(true),
                sock,
                new FakeIpamService(),
                IpamMetrics.NOOP,
                () -> "# TYPE x counter\nx_total 1.0\n")
            .start();
    try {
      assertThat(daemon.started()).isTrue();
      int health = daemon.healthPort();
      for (String probe : new String[] {"startup", "readiness", "liveness"}) {
        Http.on(health).get("/v1/runtime/" + probe).then().statusCode(200);
      }
      Http.on(health).get("/v1/runtime/other").then().statusCode(404);
      Http.on(daemon.metricsPort())
          .get("/metrics")
          .then()
          .statusCode(200)
          .header("Content-Type", NodeDaemon.PROMETHEUS_TEXT)
          .body(containsString("x_total 1.0"));
      assertThat(new SocketClient(sock).send("GET", "/v1/ipam/healthy", null).status())
          .isEqualTo(200);
    } finally {
      daemon.close();
    }
    assertThat(Files.exists(sock)).isFalse();
    daemon.close();
  }

  @Test
  void metricsStayClosedUnlessEnabledAndReadinessFollowsTheSocket() throws Exception {
    Path sock = dir.resolve("spiderpool.sock");
    try (NodeDaemon daemon =
        new NodeDaemon(settings(false), sock, new FakeIpamService(), IpamMetrics.NOOP, () -> "")
            .start()) {
      assertThat(daemon.metricsPort()).isEqualTo(-1);
      Files.delete(sock); // the socket file vanished (someone cleaned /var/run): not ready any more
      Http.on(daemon.healthPort()).get("/v1/runtime/readiness").then().statusCode(500);
      Http.on(daemon.healthPort()).get("/v1/runtime/startup").then().statusCode(200);
    }
  }

  @Test
  void cniCallsGoThroughTheSpoolNextToTheSocketAndReadinessFollowsIt() throws Exception {
    Path sock = dir.resolve("spiderpool.sock");
    Path spool = dir.resolve("spiderpool.sock.spool");
    try (NodeDaemon daemon =
        new NodeDaemon(settings(false), sock, new FakeIpamService(), IpamMetrics.NOOP, () -> "")
            .start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String conf =
          "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"ipam\":{\"type\":\"spiderpool\","
              + "\"ipam_unix_socket_path\":\""
              + sock
              + "\"}}";
      int exit =
          CniEntry.run(
              Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin"),
              new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
              out,
              new SpoolTransport(10_000));
      assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
      Http.on(daemon.healthPort()).get("/v1/runtime/readiness").then().statusCode(200);
      // someone removed the spool (cleaned /var/run): no CNI call can be served, not ready any more
      for (String f : new String[] {SpoolLayout.HEARTBEAT, SpoolLayout.LOCK}) {
        Files.deleteIfExists(spool.resolve(f));
      }
      Files.delete(spool);
      await("readiness turns 500 once the spool is gone")
          .atMost(LOCAL)
          .pollInterval(Duration.ofMillis(20))
          .untilAsserted(
              () ->
                  Http.on(daemon.healthPort()).get("/v1/runtime/readiness").then().statusCode(500));
    }
  }

  private static boolean accepts(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /**
   * Probes listen on 127.0.0.1 only and metrics where configured: another loopback address of this
   * host (127.0.0.2), which a listener on every address would accept, is refused.
   */
  @Test
  void probesAndMetricsListenOnlyWhereTheSettingsSay() throws Exception {
    DaemonSettings s =
        new DaemonSettings(
            null,
            "node1",
            "",
            "",
            null,
            0,
            0,
            true,
            null,
            5000,
            "info",
            true,
            null,
            null,
            "127.0.0.3");
    try (NodeDaemon daemon =
        new NodeDaemon(
                s, dir.resolve("bind.sock"), new FakeIpamService(), IpamMetrics.NOOP, () -> "")
            .start()) {
      assertThat(daemon.healthAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(accepts("127.0.0.1", daemon.healthPort())).isTrue();
      assertThat(accepts("127.0.0.2", daemon.healthPort()))
          .as("probe port on another address")
          .isFalse();
      assertThat(daemon.metricsAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.3");
      assertThat(accepts("127.0.0.3", daemon.metricsPort())).isTrue();
      assertThat(accepts("127.0.0.1", daemon.metricsPort()))
          .as("metrics port on another address")
          .isFalse();
    }
  }
}
