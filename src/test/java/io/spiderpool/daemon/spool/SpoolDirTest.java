// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.wire.SpoolLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool directory's ownership, start-up clearing, heartbeat and sweep, without a server. */
class SpoolDirTest {
  @TempDir Path dir;

  private List<String> names(Path spool) throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private static Path aged(Path file, long now, long ageMillis) throws IOException {
    Files.write(file, new byte[] {'x'});
    Files.setLastModifiedTime(file, FileTime.fromMillis(now - ageMillis));
    return file;
  }

  @Test
  void createdOwnerOnlyEvenOverAWiderExistingDirectory() throws IOException {
    Path spool = dir.resolve("run/spiderpool.sock.spool");
    try (SpoolDir s = SpoolDir.open(spool)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)))
          .isEqualTo("rwx------");
    }
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (SpoolDir s = SpoolDir.open(spool)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void whatAPreviousDaemonLeftIsClearedAtOpen() throws IOException {
    Path spool = Files.createDirectories(dir.resolve("s.spool"));
    for (String leftover : new String[] {"alive", "a.req", "b.work", "c.resp", "d.tmp", "e.part"}) {
      Files.writeString(spool.resolve(leftover), "old");
    }
    try (SpoolDir s = SpoolDir.open(spool)) {
      assertThat(names(spool)).containsExactly(SpoolLayout.LOCK);
    }
  }

  @Test
  void aLiveSpoolIsNeverTakenOverAndIsFreeOnceReleased() throws IOException {
    Path spool = dir.resolve("s.spool");
    SpoolDir first = SpoolDir.open(spool);
    first.beat();
    Files.writeString(spool.resolve("x.req"), "pending");
    assertThatThrownBy(() -> SpoolDir.open(spool))
        .isInstanceOf(IOException.class)
        .hasMessage("another daemon is serving the CNI spool " + spool + "; stop it first");
    assertThat(names(spool))
        .as("the refused open touched nothing")
        .containsExactly(SpoolLayout.HEARTBEAT, SpoolLayout.LOCK, "x.req");
    first.close();
    assertThat(names(spool))
        .as("close removes the heartbeat first, then pending calls")
        .containsExactly(SpoolLayout.LOCK);
    try (SpoolDir second = SpoolDir.open(spool)) {
      assertThat(second.dir()).isEqualTo(spool);
    }
  }

  /** A second daemon is another process: only the file lock stands between it and the spool. */
  @Test
  void anotherProcessIsRefusedByTheLockUntilTheHolderLetsGo() throws Exception {
    Path spool = dir.resolve("s.spool");
    SpoolDir held = SpoolDir.open(spool);
    held.beat();
    assertThat(openInAnotherJvm(spool))
        .isEqualTo("another daemon is serving the CNI spool " + spool + "; stop it first");
    assertThat(names(spool)).contains(SpoolLayout.HEARTBEAT);
    held.close();
    assertThat(openInAnotherJvm(spool)).isEqualTo("opened");
  }

  private static String openInAnotherJvm(Path spool) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                OpenSpool.class.getName(),
                spool.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  /** The other process: tries to take the spool and says what happened. */
  static final class OpenSpool {
    public static void main(String[] args) {
      try (SpoolDir s = SpoolDir.open(Path.of(args[0]))) {
        System.out.println("opened");
      } catch (IOException e) {
        System.out.println(e.getMessage());
      }
    }
  }

  @Test
  void aFileWhereTheSpoolShouldBeIsAnErrorThatSaysWhatToDo() throws IOException {
    Path spool = Files.writeString(dir.resolve("s.spool"), "not a dir");
    assertThatThrownBy(() -> SpoolDir.open(spool))
        .hasMessage(
            spool + " exists and is not a directory; remove it to let the daemon create its spool");
  }

  @Test
  void heartbeatIsRecreatedAndAdvanced() throws Exception {
    Path spool = dir.resolve("s.spool");
    try (SpoolDir s = SpoolDir.open(spool)) {
      Path alive = spool.resolve(SpoolLayout.HEARTBEAT);
      assertThat(alive).doesNotExist();
      s.beat();
      Files.setLastModifiedTime(alive, FileTime.fromMillis(1_000));
      s.beat();
      assertThat(Files.getLastModifiedTime(alive).toMillis())
          .isGreaterThan(System.currentTimeMillis() - 5_000);
      Files.delete(alive);
      s.beat();
      assertThat(alive).exists();
    }
  }

  @Test
  void sweepClaimsYoungRequestsAndRemovesWhatNobodyWillCollect() throws IOException {
    Path spool = dir.resolve("s.spool");
    try (SpoolDir s = SpoolDir.open(spool)) {
      s.beat();
      long now = System.currentTimeMillis();
      aged(spool.resolve("young.req"), now, 100);
      aged(spool.resolve("old.req"), now, SpoolDir.STALE_REQUEST_MILLIS + 1_000);
      aged(spool.resolve("fresh.resp"), now, 1_000);
      aged(spool.resolve("uncollected.resp"), now, SpoolDir.LEFTOVER_MILLIS + 1_000);
      aged(spool.resolve("crashed-plugin.tmp"), now, SpoolDir.LEFTOVER_MILLIS + 1_000);
      aged(spool.resolve("writing.tmp"), now, 10);
      aged(spool.resolve("long-allocation.work"), now, SpoolDir.LEFTOVER_MILLIS * 10);
      List<String> claimed = new ArrayList<>();
      s.sweep(now, claimed::add);
      assertThat(claimed).containsExactly("young");
      assertThat(names(spool))
          .containsExactly(
              SpoolLayout.HEARTBEAT,
              SpoolLayout.LOCK,
              "fresh.resp",
              "long-allocation.work",
              "writing.tmp",
              "young.req");
    }
  }
}
