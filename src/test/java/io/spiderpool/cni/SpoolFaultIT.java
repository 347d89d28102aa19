// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import static io.spiderpool.testing.Waits.LOCAL;
import static io.spiderpool.testing.Waits.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spiderpool.core.json.JsonReader;
import io.spiderpool.daemon.spool.SpoolServer;
import io.spiderpool.testing.e2e.Command;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.SpoolLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 6 of docs/reliability.md: the spool — the plugin's way to the daemon — on a file system
 * that is full (of bytes or of inodes) or read-only. A real daemon spool server on a small tmpfs
 * mounted by the test (root and mount(8) required; a failed mount fails the test, it never skips),
 * the real plugin entry and transport. Each time: a CNI error that names the cause (code 5),
 * nothing handed to the daemon, no request file left behind, and calls succeed again once space is
 * back, without restarting anything.
 */
class SpoolFaultIT {
  private static final String RESULT = "{\"cniVersion\":\"1.0.0\",\"ips\":[]}";

  @TempDir Path dir;
  private Path mnt;
  private Path view;
  private SpoolServer daemon;
  private final AtomicInteger served = new AtomicInteger();
  private final List<Path> mounts = new ArrayList<>();

  @BeforeEach
  void mountSmallTmpfs() throws IOException {
    mnt = Files.createDirectories(dir.resolve("mnt"));
    mount("-t", "tmpfs", "-o", "size=256k,nr_inodes=64,mode=0700", "spfault", mnt.toString());
    daemon =
        SpoolServer.start(
            SpoolServer.dirFor(mnt.resolve("spiderpool.sock")),
            r -> {
              served.incrementAndGet();
              return CniExchange.reply(0, RESULT);
            },
            4);
  }

  @AfterEach
  void unmount() throws IOException {
    if (daemon != null) {
      daemon.close();
    }
    for (int i = mounts.size() - 1; i >= 0; i--) {
      Command.run("umount", mounts.get(i).toString()).orThrow();
    }
  }

  private void mount(String... args) {
    String[] argv = Stream.concat(Stream.of("mount"), Stream.of(args)).toArray(String[]::new);
    Command.Outcome o = Command.run(argv);
    assertThat(o.ok())
        .as("this test mounts a tmpfs and needs root and mount(8): %s", o.describe())
        .isTrue();
    mounts.add(Path.of(args[args.length - 1]));
  }

  /** One ADD through the real plugin entry, to the daemon whose socket is {@code sock}. */
  private Answer add(Path sock) {
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"spiderpool\","
            + "\"ipam_unix_socket_path\":\""
            + sock
            + "\",\"log_file_path\":\""
            + dir.resolve("plugin.log")
            + "\"}}";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        CniEntry.run(
            RuntimeEnv.of("ADD"),
            new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
            out,
            new SpoolTransport(60_000));
    return new Answer(exit, out.toString(StandardCharsets.UTF_8));
  }

  private record Answer(int exit, String stdout) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) JsonReader.parse(stdout);
    }
  }

  private Path sock() {
    return mnt.resolve("spiderpool.sock");
  }

  /** Files of calls in the spool: none may outlive a failed call. */
  private List<String> callFiles() throws IOException {
    try (Stream<Path> files = Files.list(SpoolServer.dirFor(sock()))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> !n.equals(SpoolLayout.HEARTBEAT) && !n.equals(SpoolLayout.LOCK))
          .toList();
    }
  }

  private void assertRefusedNaming(Answer a, String cause) throws IOException {
    assertThat(a.exit()).as(a.stdout()).isEqualTo(1);
    Map<String, Object> error = a.json();
    assertThat(error.get("code")).as(a.stdout()).isEqualTo(5L);
    assertThat(error.get("msg")).isEqualTo("cannot hand the request to the spiderpool node daemon");
    assertThat((String) error.get("details"))
        .contains(cause)
        .contains("is the file system holding the spool full or read-only?");
    assertThat(a.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(served).as("calls the daemon served").hasValue(1);
    assertThat(callFiles()).as("files of calls left in the spool").isEmpty();
  }

  /**
   * The daemon deletes a served call's claimed request after the plugin has its answer; until then
   * that file holds a page and an inode, and freeing it after the test filled the tmpfs would let
   * the next request in (seen in CI as "the daemon dropped the request": its reply had no room).
   */
  private void awaitPreviousCallCleared() {
    await("the served call's files are gone")
        .atMost(LOCAL)
        .pollInterval(POLL)
        .until(() -> callFiles().isEmpty());
  }

  @Test
  void aFullSpoolIsACleanIoErrorAndServingResumesWhenSpaceIsBack() throws IOException {
    assertThat(add(sock())).isEqualTo(new Answer(0, RESULT + "\n"));
    awaitPreviousCallCleared();

    Path filler = mnt.resolve("filler");
    assertThatThrownBy(
            () -> {
              try (OutputStream o = Files.newOutputStream(filler)) {
                byte[] chunk = new byte[4096];
                for (int i = 0; i < 1_000; i++) {
                  o.write(chunk);
                }
              }
            })
        .as("filling the 256 KiB tmpfs")
        .hasMessageContaining("No space left on device");
    assertRefusedNaming(add(sock()), "No space left on device");

    Files.delete(filler);
    assertThat(add(sock())).isEqualTo(new Answer(0, RESULT + "\n"));
    assertThat(served).hasValue(2);
  }

  @Test
  void noInodeLeftIsACleanIoErrorAndServingResumes() throws IOException {
    assertThat(add(sock())).isEqualTo(new Answer(0, RESULT + "\n"));
    awaitPreviousCallCleared();
    List<Path> empties = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 1_000; i++) {
                empties.add(Files.createFile(mnt.resolve("empty-" + i)));
              }
            })
        .as("using up the tmpfs's 64 inodes")
        .hasMessageContaining("No space left on device");
    assertRefusedNaming(add(sock()), "No space left on device");

    for (Path p : empties) {
      Files.delete(p);
    }
    assertThat(add(sock())).isEqualTo(new Answer(0, RESULT + "\n"));
  }

  /**
   * The plugin sees the spool through a read-only bind mount while the daemon keeps serving (and
   * beating) on the writable one: root ignores file modes, a read-only mount it cannot ignore.
   */
  @Test
  void aReadOnlySpoolIsACleanIoError() throws IOException {
    assertThat(add(sock())).isEqualTo(new Answer(0, RESULT + "\n"));
    Path viewSock = dir.resolve("view.sock");
    view = Files.createDirectories(SpoolServer.dirFor(viewSock));
    mount("--bind", SpoolServer.dirFor(sock()).toString(), view.toString());
    Command.run("mount", "-o", "remount,bind,ro", view.toString()).orThrow();

    assertRefusedNaming(add(viewSock), "Read-only file system");
  }
}
