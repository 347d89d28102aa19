// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spiderpool.testing.Waits;
import io.spiderpool.wire.HttpResponse;
import io.spiderpool.wire.SpoolLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's side of the spool against a hand-driven directory: what it writes, how it waits, and
 * how fast it gives up on a daemon that is not there. The real daemon side is exercised in {@code
 * io.spiderpool.daemon.spool.SpoolServerTest}.
 */
class SpoolTransportTest {
  private static final byte[] OK_REPLY =
      ("HTTP/1.1 200 OK\r\nX-Cni-Exit: 0\r\nContent-Length: 2\r\n" + "Connection: close\r\n\r\n{}")
          .getBytes(StandardCharsets.ISO_8859_1);
  @TempDir Path dir;
  private Path sock;
  private Path spool;

  @BeforeEach
  void paths() {
    sock = dir.resolve("spiderpool.sock");
    spool = dir.resolve("spiderpool.sock.spool");
  }

  private void liveSpool() throws IOException {
    Files.createDirectories(spool);
    beat(0);
  }

  private void beat(long ageMillis) throws IOException {
    Path alive = spool.resolve(SpoolLayout.HEARTBEAT);
    if (!Files.exists(alive)) {
      Files.createFile(alive);
    }
    Files.setLastModifiedTime(alive, FileTime.fromMillis(System.currentTimeMillis() - ageMillis));
  }

  private static SpoolTransport transport(long timeoutMillis, long claimMillis) {
    return new SpoolTransport(timeoutMillis, claimMillis, SpoolLayout.HEARTBEAT_STALE_MILLIS);
  }

  private List<String> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> !n.equals(SpoolLayout.HEARTBEAT))
          .toList();
    }
  }

  /** Waits for the one request to appear, as the daemon's watch would. */
  private Path awaitRequest() {
    return await("a request appears in " + spool)
        .atMost(Waits.LOCAL)
        .pollInterval(Duration.ofMillis(1))
        .until(
            () -> {
              try (Stream<Path> files = Files.list(spool)) {
                return files.filter(f -> f.toString().endsWith(SpoolLayout.REQUEST)).findFirst();
              }
            },
            Optional::isPresent)
        .get();
  }

  /** Answers as the daemon does: the whole reply appears at once (written aside, then renamed). */
  private void reply(String id, byte[] bytes) throws IOException {
    Path partial = Files.write(spool.resolve(id + ".test-partial"), bytes);
    Files.move(partial, spool.resolve(id + SpoolLayout.RESPONSE), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String id(Path request) {
    String n = request.getFileName().toString();
    return n.substring(0, n.length() - SpoolLayout.REQUEST.length());
  }

  @Test
  void requestIsTheSocketsHttpBytesAndTheReplyFileIsConsumed() throws Exception {
    liveSpool();
    var call =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return transport(10_000, 2_000)
                    .post(sock, Map.of("X-Cni-Command", "ADD"), "{\"a\":1}".getBytes());
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    Path req = awaitRequest();
    String id = id(req);
    assertThat(Files.readString(req, StandardCharsets.ISO_8859_1))
        .isEqualTo(
            "POST /v1/cni HTTP/1.1\r\n"
                + "Host: localhost\r\nContent-Type: application/json\r\nX-Cni-Command: ADD\r\nContent-Length: 7\r\n"
                + "Connection: close\r\n\r\n{\"a\":1}");
    Files.move(req, spool.resolve(id + SpoolLayout.CLAIMED), StandardCopyOption.ATOMIC_MOVE);
    reply(id, OK_REPLY);
    Files.delete(spool.resolve(id + SpoolLayout.CLAIMED));
    HttpResponse reply = call.get(5, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers()).containsEntry("x-cni-exit", "0");
    assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void noSpoolDirectoryFailsAtOnceNamingIt() {
    // "at once": without waiting for the claim bound, which is set far beyond any machine stall
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> transport(120_000, 60_000).post(sock, Map.of(), new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no such directory");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    assertThat(transport(1, 1).where(sock)).isEqualTo("spool " + spool);
  }

  @Test
  void missingOrStaleHeartbeatFailsAtOnce() throws IOException {
    Files.createDirectories(spool);
    assertThatThrownBy(() -> transport(10_000, 2_000).post(sock, Map.of(), new byte[0]))
        .hasMessage("no heartbeat file: the daemon is not running");
    beat(SpoolLayout.HEARTBEAT_STALE_MILLIS + 2_000);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> transport(120_000, 60_000).post(sock, Map.of(), new byte[0]))
        .hasMessageStartingWith("the daemon's heartbeat stopped ")
        .hasMessageEndingWith(" ms ago");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    assertThat(spoolFiles()).as("nothing was submitted").isEmpty();
  }

  @Test
  void unclaimedRequestIsWithdrawnAfterTheClaimBound() throws IOException {
    liveSpool();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> transport(10_000, 300).post(sock, Map.of(), new byte[0]))
        .hasMessage(
            "the daemon did not take the request within 300 ms although its heartbeat is fresh"
                + " (overloaded or hung?)");
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(spoolFiles())
        .as("the request was taken back, nothing left for a late daemon")
        .isEmpty();
  }

  @Test
  void claimedRequestIsWaitedForBeyondTheClaimBound() throws Exception {
    liveSpool();
    var call =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return transport(30_000, 1_000).post(sock, Map.of(), new byte[0]);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    Path req = awaitRequest();
    String id = id(req);
    Files.move(req, spool.resolve(id + SpoolLayout.CLAIMED), StandardCopyOption.ATOMIC_MOVE);
    // the allocation itself takes time: past the claim bound, but claimed, the call keeps waiting
    Waits.holdsFor(
        "a claimed call to stay pending past the claim bound",
        Duration.ofMillis(1_400),
        Duration.ofMillis(100),
        () -> assertThat(call).isNotDone());
    reply(id, OK_REPLY);
    assertThat(call.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void requestDroppedByARestartedDaemonFailsInsteadOfWaitingForTheTimeout() throws Exception {
    liveSpool();
    var call =
        CompletableFuture.runAsync(
            () -> {
              assertThatThrownBy(() -> transport(60_000, 2_000).post(sock, Map.of(), new byte[0]))
                  .hasMessage("the daemon dropped the request (did it restart?)");
            });
    Files.delete(awaitRequest()); // a new daemon clears its spool at start
    call.get(5, TimeUnit.SECONDS);
  }

  @Test
  void heartbeatThatStopsWhileWaitingFailsTheCall() throws Exception {
    liveSpool();
    var call =
        CompletableFuture.runAsync(
            () -> {
              assertThatThrownBy(() -> transport(60_000, 2_000).post(sock, Map.of(), new byte[0]))
                  .hasMessage("no heartbeat file: the daemon is not running");
            });
    Path req = awaitRequest();
    Files.move(req, spool.resolve(id(req) + SpoolLayout.CLAIMED), StandardCopyOption.ATOMIC_MOVE);
    Files.delete(spool.resolve(SpoolLayout.HEARTBEAT)); // the daemon stopped
    call.get(5, TimeUnit.SECONDS);
  }

  @Test
  void claimedButUnansweredCallEndsAtTheDeadline() throws Exception {
    liveSpool();
    var call =
        CompletableFuture.runAsync(
            () -> {
              // the claim bound out of reach; the deadline within reach of a test that has to claim
              // first,
              // and before the test spool's one heartbeat goes stale (3 s)
              assertThatThrownBy(() -> transport(2_000, 60_000).post(sock, Map.of(), new byte[0]))
                  .hasMessage("no answer within 2000 ms");
            });
    Path req = awaitRequest();
    Files.move(req, spool.resolve(id(req) + SpoolLayout.CLAIMED), StandardCopyOption.ATOMIC_MOVE);
    call.get(5, TimeUnit.SECONDS);
  }

  @Test
  void unreachableDaemonIsCodeElevenNamingTheSpool() {
    String conf =
        "{\"cniVersion\":\"1.0.0\",\"ipam\":{\"ipam_unix_socket_path\":\""
            + sock
            + "\",\"log_file_path\":\""
            + dir.resolve("cni.log")
            + "\"}}";
    for (String command : new String[] {"ADD", "STATUS"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit =
          CniEntry.run(
              RuntimeEnv.of(command),
              new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
              out,
              transport(10_000, 2_000));
      assertThat(exit).isEqualTo(1);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"cniVersion\":\"1.0.0\",\"code\":"
                  + (command.equals("ADD") ? 11 : 50)
                  + ",\"msg\":\"spiderpool node daemon is unreachable\",\"details\":"
                  + "\"spool "
                  + spool
                  + ": no such directory: the daemon is not running or its directory is not mounted"
                  + " here; is the spiderpool daemon running on this node?\"}\n");
    }
  }
}
