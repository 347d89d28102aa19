// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.e2e;

import static io.spiderpool.testing.Waits.POLL;
import static io.spiderpool.testing.Waits.PROCESS_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spiderpool.bench.FakeDaemon;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.testing.e2e.SpiderpoolBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed plugin binary against a node daemon that is absent, killed or replaced: it answers
 * "try again later" (code 11) naming the spool within the claim bound instead of the 100 s
 * deadline, and a new daemon takes the spool over at once. The daemon is the stand-in of the CNI
 * benchmark (the real spool server and CNI handler, in-memory engine), so this needs no control
 * plane.
 */
class DaemonGoneE2E {
  @TempDir Path tmp;
  private Process daemon;

  @AfterEach
  void stop() throws InterruptedException {
    if (daemon != null) {
      daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Path sock() {
    return tmp.resolve("run/spiderpool.sock");
  }

  private Process startDaemon() throws Exception {
    Files.createDirectories(sock().getParent());
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FakeDaemon.class.getName(),
                sock().toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("daemon.log").toFile())
            .start();
    // not the heartbeat file: a killed predecessor leaves one behind
    Path log = tmp.resolve("daemon.log");
    await("the fake daemon serves its spool")
        .atMost(PROCESS_START)
        .pollInterval(POLL)
        .failFast(
            "the fake daemon exited",
            () -> assertThat(p.isAlive()).as(Files.readString(log)).isTrue())
        .untilAsserted(() -> assertThat(Files.readString(log)).contains("fake daemon serving"));
    return p;
  }

  /** ADD as a runtime runs it: the launcher found in CNI_PATH, the CNI_* variables, stdin. */
  private Command.Outcome add() {
    Path bin = SpiderpoolBinary.installPlugin(tmp.resolve("bin"));
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"macvlan\",\"ipam\":{\"type\":\"spiderpool\","
            + "\"ipam_unix_socket_path\":\""
            + sock()
            + "\",\"log_file_path\":\""
            + tmp.resolve("cni.log")
            + "\"}}";
    Map<String, String> env =
        Map.of(
            "CNI_COMMAND",
            "ADD",
            "CNI_CONTAINERID",
            "c1",
            "CNI_NETNS",
            "/var/run/netns/x",
            "CNI_IFNAME",
            "eth0",
            "CNI_PATH",
            bin.toString(),
            "CNI_ARGS",
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p");
    return Command.run(
        List.of(bin.resolve("spiderpool").toString()), env, conf, Duration.ofSeconds(60));
  }

  private List<String> spoolRequests() throws IOException {
    try (Stream<Path> files = Files.list(tmp.resolve("run/spiderpool.sock.spool"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> !n.equals("alive") && !n.equals("daemon.lock"))
          .toList();
    }
  }

  @Test
  void noDaemonOnTheNodeIsTryAgainLaterAtOnce() {
    Command.Outcome o = add();
    assertThat(o.exitCode()).as(o.describe()).isEqualTo(1);
    assertThat(o.stdout()).contains("\"code\":11", "spool " + sock() + ".spool: no such directory");
  }

  @Test
  void killedDaemonIsTryAgainLaterWithinTheClaimBoundAndItsSuccessorServesAtOnce()
      throws Exception {
    daemon = startDaemon();
    assertThat(add().exitCode()).isZero();
    daemon
        .destroyForcibly()
        .waitFor(10, TimeUnit.SECONDS); // SIGKILL: heartbeat file left, fresh for up to 3 s
    Command.Outcome o = add();
    assertThat(o.exitCode()).as(o.describe()).isEqualTo(1);
    assertThat(o.stdout()).contains("\"code\":11", "spool " + sock() + ".spool: ");
    assertThat(o.took()).isLessThan(Duration.ofSeconds(10));
    assertThat(spoolRequests()).as("the plugin took its request back").isEmpty();
    daemon = startDaemon(); // the killed daemon's lock died with it
    Command.Outcome after = add();
    assertThat(after.exitCode()).as(after.describe()).isZero();
    assertThat(after.stdout()).contains("\"ips\"");
  }
}
