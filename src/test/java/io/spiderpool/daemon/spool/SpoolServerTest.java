// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spiderpool.cni.CniEntry;
import io.spiderpool.cni.SpoolTransport;
import io.spiderpool.daemon.cni.CniRequestHandler;
import io.spiderpool.daemon.socket.HttpHandler;
import io.spiderpool.service.ipam.FakeIpamService;
import io.spiderpool.testing.Waits;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.CniSpec;
import io.spiderpool.wire.HttpResponse;
import io.spiderpool.wire.SpoolLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's spool server and the plugin's spool transport together, as a runtime runs them. */
class SpoolServerTest {
  private static final AtomicInteger HAND_IDS = new AtomicInteger();
  @TempDir Path dir;
  private final List<SpoolServer> servers = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (SpoolServer s : servers) {
      s.close();
    }
  }

  private Path sock() {
    return dir.resolve("run/spiderpool.sock");
  }

  private SpoolServer start(HttpHandler handler, int maxConcurrent) throws IOException {
    SpoolServer s = SpoolServer.start(SpoolServer.dirFor(sock()), handler, maxConcurrent);
    servers.add(s);
    return s;
  }

  private record Run(int exit, String stdout) {}

  private Run run(Map<String, String> env, String stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        CniEntry.run(
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            out,
            new SpoolTransport(10_000));
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> addEnv(String containerId, String podName) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "CNI_COMMAND",
                "ADD",
                "CNI_CONTAINERID",
                containerId,
                "CNI_NETNS",
                "/var/run/netns/x",
                "CNI_IFNAME",
                "eth0",
                "CNI_PATH",
                "/opt/cni/bin"));
    env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=" + podName);
    return env;
  }

  private String conf(String version) throws IOException {
    return fixture(version + "/netconf.json")
        .replace(
            "\"type\": \"spiderpool\",",
            "\"type\": \"spiderpool\"," + " \"ipam_unix_socket_path\": \"" + sock() + "\",")
        .replace("/var/log/spidernet/spiderpool.log", dir.resolve("log/cni.log").toString());
  }

  private static String fixture(String path) throws IOException {
    try (InputStream in = SpoolServerTest.class.getResourceAsStream("/cni/" + path)) {
      assertThat(in).as("fixture cni/" + path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private List<String> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(SpoolServer.dirFor(sock()))) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** Answers each call with its own container ID, so crossed answers would show. */
  private static final HttpHandler ECHO =
      req ->
          new HttpResponse(
              200,
              Map.of(CniExchange.EXIT, "0"),
              req.header("x-cni-containerid").getBytes(StandardCharsets.UTF_8));

  @Test
  void everySpecVersionGetsItsGoldenResultThroughTheRealHandler() throws IOException {
    FakeIpamService ipam = new FakeIpamService();
    start(new CniRequestHandler(ipam, (n, v) -> {}, () -> true), 8);
    for (String version : CniSpec.VERSIONS) {
      Run r = run(addEnv("c0ffee", "pod1"), conf(version));
      assertThat(r.exit()).as(version).isZero();
      assertThat(r.stdout()).as(version).isEqualTo(fixture(version + "/add-eth0.json"));
    }
    assertThat(ipam.adds)
        .hasSize(CniSpec.VERSIONS.size())
        .allSatisfy(
            a -> {
              assertThat(a.podName()).isEqualTo("pod1");
              assertThat(a.containerId()).isEqualTo("c0ffee");
            });
    // the daemon removes a call's claimed file just after its reply appears
    await("every call cleaned up after itself")
        .atMost(Waits.LOCAL)
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(
            () ->
                assertThat(spoolFiles()).containsExactly(SpoolLayout.HEARTBEAT, SpoolLayout.LOCK));
  }

  /**
   * CNI_ARGS outside printable ASCII, with spaces and %, reach the engine as the runtime set them.
   */
  @Test
  void argumentsSurviveTheHeaderEncoding() throws IOException {
    FakeIpamService ipam = new FakeIpamService();
    start(new CniRequestHandler(ipam, (n, v) -> {}, () -> true), 4);
    Map<String, String> env = addEnv("c0ffee", "pod1");
    env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod-é 1%;K8S_POD_UID=");
    assertThat(run(env, conf("1.0.0")).exit()).isZero();
    assertThat(ipam.adds)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.podName()).isEqualTo("pod-é 1%");
              assertThat(a.podUid()).isEmpty();
            });
  }

  @Test
  void fiftyConcurrentCallsEachGetTheirOwnAnswer() throws Exception {
    start(ECHO, 64);
    String conf = conf("1.0.0");
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<Run>> calls = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < 50; i++) {
        String id = "container-" + i;
        calls.add(
            pool.submit(
                () -> {
                  go.await();
                  return run(addEnv(id, "p"), conf);
                }));
      }
      go.countDown();
      for (int i = 0; i < 50; i++) {
        Run r = calls.get(i).get(30, TimeUnit.SECONDS);
        assertThat(r.exit()).as("call %d: %s", i, r.stdout()).isZero();
        assertThat(r.stdout()).isEqualTo("container-" + i);
      }
    } finally {
      pool.shutdownNow();
    }
    await("all fifty calls cleaned up")
        .atMost(Waits.LOCAL)
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(
            () ->
                assertThat(spoolFiles()).containsExactly(SpoolLayout.HEARTBEAT, SpoolLayout.LOCK));
  }

  @Test
  void beyondTheConcurrencyLimitTheAnswerIsBusyNotAQueue() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        req -> {
          inside.countDown();
          release.await();
          return ECHO.handle(req);
        },
        1);
    String conf = conf("1.0.0");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Run> first = pool.submit(() -> run(addEnv("first", "p"), conf));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      Run second = run(addEnv("second", "p"), conf);
      assertThat(second.exit()).isEqualTo(1);
      assertThat(second.stdout())
          .isEqualTo(
              "{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"spiderpool node daemon"
                  + " is busy\",\"details\":\"spool "
                  + SpoolServer.dirFor(sock())
                  + " answered 503: \\\"too many concurrent"
                  + " CNI calls on the spool; retry\\\"\"}\n");
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).stdout()).isEqualTo("first");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /** Writes a request by hand, as a foreign client might, and returns the reply file's text. */
  private String exchange(String request) throws Exception {
    // a fresh id each time: the daemon deletes a call's .work file only after its .resp is there,
    // so reusing an id at once could hand the previous call's clean-up the next request
    String id = "by-hand-" + HAND_IDS.incrementAndGet();
    Path spool = SpoolServer.dirFor(sock());
    Path tmp = Files.writeString(spool.resolve(id + ".tmp"), request, StandardCharsets.ISO_8859_1);
    Files.move(tmp, spool.resolve(id + ".req"), StandardCopyOption.ATOMIC_MOVE);
    Path reply = spool.resolve(id + ".resp");
    await("the daemon answers " + id)
        .atMost(Waits.LOCAL)
        .pollInterval(Duration.ofMillis(1))
        .until(() -> Files.exists(reply));
    String text = Files.readString(reply, StandardCharsets.ISO_8859_1);
    Files.delete(reply);
    return text;
  }

  @Test
  void onlyTheCniRouteIsServedAndGarbageIsABadRequest() throws Exception {
    start(ECHO, 4);
    assertThat(exchange("GET /v1/ipam/healthy HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 404 ")
        .endsWith("\"path /v1/ipam/healthy not found: the CNI spool serves only POST /v1/cni\"");
    assertThat(exchange("GET /v1/cni HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 405 ")
        .contains("Allow: POST");
    assertThat(exchange("garbage\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .contains("malformed request line");
    assertThat(
            exchange(
                "POST /v1/cni HTTP/1.1\r\nX-Cni-Containerid: hand\r\nContent-Length: 0\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK")
        .endsWith("\r\n\r\nhand");
  }

  @Test
  void aStoppedDaemonIsNoticedAtOnce() throws Exception {
    SpoolServer server = start(ECHO, 4);
    assertThat(server.healthy()).isTrue();
    server.close();
    assertThat(server.healthy()).isFalse();
    long t0 = System.nanoTime();
    Run r = run(addEnv("c", "p"), conf("0.4.0"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("no wait for the claim bound")
        .isLessThan(Duration.ofMillis(SpoolLayout.CLAIM_MILLIS));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stdout())
        .startsWith("{\"cniVersion\":\"0.4.0\",\"code\":11,")
        .contains(
            "spool "
                + SpoolServer.dirFor(sock())
                + ": no heartbeat file: the daemon is not running");
  }

  @Test
  void aSecondDaemonIsRefusedAndTheFirstKeepsServing() throws Exception {
    start(ECHO, 4);
    assertThatThrownBy(() -> start(ECHO, 4))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("another daemon is serving the CNI spool");
    assertThat(run(addEnv("still-here", "p"), conf("1.0.0")).stdout()).isEqualTo("still-here");
  }

  @Test
  void theHeartbeatKeepsBeating() throws Exception {
    start(ECHO, 4);
    Path alive = SpoolServer.dirFor(sock()).resolve(SpoolLayout.HEARTBEAT);
    long first = Files.getLastModifiedTime(alive).toMillis();
    await("the heartbeat is touched again")
        .atMost(Waits.LOCAL)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.getLastModifiedTime(alive).toMillis() > first);
  }
}
