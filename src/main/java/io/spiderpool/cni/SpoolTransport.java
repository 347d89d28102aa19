// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.Concat;
import io.spiderpool.wire.HttpCodec;
import io.spiderpool.wire.HttpResponse;
import io.spiderpool.wire.SpoolLayout;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The plugin's way to the node daemon: the request as a file in the daemon's spool directory
 * ({@link SpoolLayout}), the reply as another file. It uses only {@link File} and the file streams,
 * which a bare JVM has already loaded at boot: opening a unix {@code SocketChannel} instead costs
 * 20-30 ms of start-up in the JDK itself (selector provider, {@code SecureRandom}, security
 * providers), more than half of a bare JVM start. For the same reason nothing here uses lambdas,
 * {@code +} on strings or {@code ProcessHandle}: their first use loads {@code java.lang.invoke} or
 * an executor.
 *
 * <p>The daemon is taken as unreachable, and the call fails at once, when the spool directory or
 * its heartbeat is missing or the heartbeat is older than {@link
 * SpoolLayout#HEARTBEAT_STALE_MILLIS}; while waiting, when the heartbeat stops or the request
 * vanishes (a restarted daemon clears its spool); and when a request is not claimed within {@link
 * SpoolLayout#CLAIM_MILLIS}, after the plugin withdrew it. A withdrawal is a rename, so either the
 * daemon took the request or nobody ever will. The overall deadline is Spiderpool's CNI client
 * timeout, 100 s.
 */
public final class SpoolTransport implements DaemonTransport {
  /**
   * Spiderpool's {@code DefaultCNIClientTimeout}, 100 s: an allocation may wait on API server
   * retries, and the runtime has its own, longer, deadline.
   */
  public static final long DEFAULT_TIMEOUT_MILLIS = 100_000;

  /**
   * Polling: every 0.2 ms for the first 20 ms, which covers a warm daemon's answer (1-3 ms), then
   * pauses growing by half up to 4 ms for calls that wait on the API server. A poll is one stat.
   */
  private static final long FIRST_PAUSE_NANOS = 200_000;

  private static final long FAST_POLL_NANOS = 20_000_000;
  private static final long MAX_PAUSE_NANOS = 4_000_000;

  /** How often a waiting plugin looks at the heartbeat and at its request's files. */
  private static final long CHECK_NANOS = 100_000_000;

  private static final int MAX_ID_ATTEMPTS = 100;
  private static final String PROCESS_TAG = processTag();
  private static long sequence;

  private final long timeoutMillis;
  private final long claimMillis;
  private final long staleMillis;

  /** A transport with the spool's standard claim and heartbeat bounds. */
  public SpoolTransport(long timeoutMillis) {
    this(timeoutMillis, SpoolLayout.CLAIM_MILLIS, SpoolLayout.HEARTBEAT_STALE_MILLIS);
  }

  /** Tests shorten the bounds. */
  SpoolTransport(long timeoutMillis, long claimMillis, long staleMillis) {
    this.timeoutMillis = timeoutMillis;
    this.claimMillis = claimMillis;
    this.staleMillis = staleMillis;
  }

  @Override
  public String where(Path socket) {
    return Concat.of("spool ", SpoolLayout.dirOf(socket.toString()));
  }

  @Override
  public HttpResponse post(Path socket, Map<String, String> headers, byte[] body)
      throws IOException {
    File dir = new File(SpoolLayout.dirOf(socket.toString()));
    checkHeartbeat(dir);
    Call call = submit(dir, CniExchange.request(headers, body));
    try {
      return await(call);
    } catch (IOException e) {
      call.withdraw();
      throw e;
    }
  }

  private void checkHeartbeat(File dir) throws IOException {
    long beat = new File(dir, SpoolLayout.HEARTBEAT).lastModified();
    if (beat == 0) {
      throw new IOException(
          dir.isDirectory()
              ? "no heartbeat file: the daemon is not running"
              : "no such directory: the daemon is not running or its directory is not mounted here");
    }
    long age = System.currentTimeMillis() - beat;
    if (age > staleMillis) {
      throw new IOException(Concat.of("the daemon's heartbeat stopped ", age, " ms ago"));
    }
  }

  /** Writes the request under a fresh id and makes it visible whole, with one rename. */
  private static Call submit(File dir, byte[] request) throws IOException {
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      Call call = new Call(dir, nextId());
      File tmp = new File(dir, call.id.concat(SpoolLayout.WRITING));
      // createNewFile is O_EXCL: the id is ours unless some other call is still using it
      try {
        if (!tmp.createNewFile()) {
          continue;
        }
      } catch (IOException e) {
        throw notDelivered(tmp, e);
      }
      try (FileOutputStream out = new FileOutputStream(tmp)) {
        out.write(request);
      } catch (IOException e) {
        // a part-written request never gets its .req name, so no daemon ever reads it
        tmp.delete();
        throw notDelivered(tmp, e);
      }
      // rename(2) replaces an existing target: never let a request land on another call's files
      if (call.inUse()) {
        tmp.delete();
        continue;
      }
      if (!tmp.renameTo(call.request)) {
        tmp.delete();
        throw new RequestNotDelivered(Concat.of("cannot rename ", tmp, " to ", call.request));
      }
      return call;
    }
    throw new IOException(
        Concat.of("no free request id in ", dir, " after ", MAX_ID_ATTEMPTS, " attempts"));
  }

  private static RequestNotDelivered notDelivered(File tmp, IOException e) {
    return new RequestNotDelivered(
        Concat.of(
            "cannot write the request file ",
            tmp,
            ": ",
            e.getMessage(),
            " (is the file system holding the spool full or read-only?)"));
  }

  private HttpResponse await(Call call) throws IOException {
    long start = System.nanoTime();
    long claimNanos = claimMillis * 1_000_000L;
    long timeoutNanos = timeoutMillis * 1_000_000L;
    long nextCheck = start + CHECK_NANOS;
    long pause = FIRST_PAUSE_NANOS;
    boolean maybePending = true;
    while (!call.response.exists()) {
      long now = System.nanoTime();
      if (maybePending && now - start >= claimNanos) {
        if (call.withdraw()) {
          throw new IOException(
              Concat.of(
                  "the daemon did not take the request within ",
                  claimMillis,
                  " ms although its heartbeat is fresh (overloaded or hung?)"));
        }
        maybePending = false;
      }
      if (now - start >= timeoutNanos) {
        throw new IOException(Concat.of("no answer within ", timeoutMillis, " ms"));
      }
      if (now - nextCheck >= 0) {
        checkHeartbeat(call.dir);
        if (call.lost()) {
          throw new IOException("the daemon dropped the request (did it restart?)");
        }
        nextCheck = now + CHECK_NANOS;
      }
      LockSupport.parkNanos(pause);
      if (now - start > FAST_POLL_NANOS) {
        pause = Math.min(pause + pause / 2, MAX_PAUSE_NANOS);
      }
    }
    byte[] reply;
    try (FileInputStream in = new FileInputStream(call.response)) {
      reply = in.readAllBytes();
    }
    call.response.delete();
    return HttpCodec.readResponse(new ByteArrayInputStream(reply));
  }

  /**
   * Unique among concurrent calls on a node: the process id (read from {@code /proc/self}, which
   * costs no class loading, unlike {@code ProcessHandle}), the monotonic clock and a counter.
   * {@link #submit} still checks, so a repeated id costs a retry, never another call's answer.
   */
  private static synchronized String nextId() {
    sequence++;
    return Concat.of(PROCESS_TAG, "-", Long.toHexString(System.nanoTime()), "-", sequence);
  }

  private static String processTag() {
    try {
      String pid = new File("/proc/self").getCanonicalFile().getName();
      if (!pid.isEmpty() && Character.isDigit(pid.charAt(0))) {
        return pid;
      }
    } catch (IOException noProc) {
      // below
    }
    return Concat.of("h", Integer.toHexString(System.identityHashCode(new Object())));
  }

  /** The files of one call. */
  private static final class Call {
    final File dir;
    final String id;
    final File request;
    final File claimed;
    final File response;

    Call(File dir, String id) {
      this.dir = dir;
      this.id = id;
      this.request = new File(dir, id.concat(SpoolLayout.REQUEST));
      this.claimed = new File(dir, id.concat(SpoolLayout.CLAIMED));
      this.response = new File(dir, id.concat(SpoolLayout.RESPONSE));
    }

    /**
     * Any file of this id in the request's lifetime; checked in lifecycle order, see {@link #lost}.
     */
    boolean inUse() {
      return request.exists() || claimed.exists() || response.exists();
    }

    /**
     * The daemon renames .req to .work and writes .resp before it deletes .work, so one of them
     * always exists until the plugin deletes .resp; looking in that order, all three missing means
     * the request was deleted (a new daemon clears its spool at start).
     */
    boolean lost() {
      return !inUse();
    }

    /** Takes the request back if the daemon has not claimed it; true when withdrawn. */
    boolean withdraw() {
      File gone = new File(dir, id.concat(SpoolLayout.WITHDRAWN));
      if (request.renameTo(gone)) {
        gone.delete();
        return true;
      }
      return false;
    }
  }
}
