// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.daemon.spool.SpoolServer;
import io.spiderpool.service.ipam.FakeIpamService;
import io.spiderpool.testing.e2e.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may reach a running daemon's agent socket and CNI spool (docs/daemon.md#who-may-connect):
 * root, as the kubelet's plugin runs, may; another user ({@code nobody}, switched to with {@code
 * setpriv}) is refused, whether the daemon created the socket's directory (then mode 0700) or the
 * directory exists and is open to all (a hostPath: then the socket's own mode 0600 refuses). Needs
 * root, as the whole E2E tier; fails otherwise.
 */
class AgentSocketExposureE2E {
  private static final String NOBODY = "65534";

  @TempDir Path tmp;
  private Path open;

  @BeforeEach
  void openBase() throws Exception {
    assertThat(Command.run("id", "-u").stdout().strip())
        .as("this test switches to another user: run it as root (docs/testing.md)")
        .isEqualTo("0");
    // the temporary directory is 0700 itself; open it so that only what the daemon makes can stop
    // the other user
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    Command.Outcome reach = asNobody("test", "-x", open.toString());
    assertThat(reach.ok()).as("nobody can reach the test's base: " + reach.describe()).isTrue();
  }

  @Test
  void aDirectoryTheDaemonCreatesIsOwnerOnlyAndAnotherUserCannotConnect() throws Exception {
    Path sock = open.resolve("run/spidernet/spiderpool.sock");
    try (NodeDaemon daemon = start(sock)) {
      for (Path d : List.of(open.resolve("run"), sock.getParent(), SpoolServer.dirFor(sock))) {
        assertThat(mode(d)).as(d.toString()).isEqualTo("rwx------");
      }
      assertThat(mode(sock)).isEqualTo("rw-------");
      assertRootServedNobodyRefused(sock);
    }
  }

  @Test
  void inAnOpenExistingDirectoryTheSocketAndSpoolStillRefuseAnotherUser() throws Exception {
    Path shared = Files.createDirectory(open.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path sock = shared.resolve("spiderpool.sock");
    try (NodeDaemon daemon = start(sock)) {
      assertThat(mode(shared)).as("an existing directory is left as it is").isEqualTo("rwxrwxrwx");
      assertThat(mode(sock)).isEqualTo("rw-------");
      assertThat(mode(SpoolServer.dirFor(sock))).isEqualTo("rwx------");
      assertRootServedNobodyRefused(sock);
      Command.Outcome write =
          asNobody("touch", SpoolServer.dirFor(sock).resolve("forged.req").toString());
      assertThat(write.ok())
          .as("nobody writes a call into the spool: " + write.describe())
          .isFalse();
      assertThat(write.stderr()).contains("Permission denied");
    }
  }

  private static NodeDaemon start(Path sock) throws Exception {
    return new NodeDaemon(
            new DaemonSettings(
                null, "node1", "", "", null, 0, 0, false, null, 5000, "info", true, null),
            sock,
            new FakeIpamService(),
            IpamMetrics.NOOP,
            () -> "")
        .start();
  }

  private static void assertRootServedNobodyRefused(Path sock) {
    Command.Outcome root = curl(List.of(), sock);
    assertThat(root.ok()).as(root.describe()).isTrue();
    assertThat(root.stdout()).as(root.describe()).isEqualTo("200");
    Command.Outcome other =
        curl(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"), sock);
    assertThat(other.ok()).as(other.describe()).isFalse();
    assertThat(other.stdout()).as(other.describe()).doesNotContain("200");
    assertThat(other.stderr()).as(other.describe()).contains("Permission denied");
  }

  /** {@code GET /v1/ipam/healthy} on the socket with curl, run through {@code prefix}. */
  private static Command.Outcome curl(List<String> prefix, Path sock) {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(
        List.of(
            "curl",
            "-v",
            "-s",
            "--max-time",
            "10",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--unix-socket",
            sock.toString(),
            "http://localhost/v1/ipam/healthy"));
    return Command.run(argv, Map.of(), "", Duration.ofSeconds(30));
  }

  private static Command.Outcome asNobody(String... argv) {
    List<String> all =
        new ArrayList<>(
            List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    all.addAll(List.of(argv));
    return Command.run(all, Map.of(), "", Duration.ofSeconds(30));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
