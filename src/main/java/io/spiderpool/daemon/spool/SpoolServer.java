// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.spool;

import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.daemon.socket.HttpHandler;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.HttpCodec;
import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;
import io.spiderpool.wire.SpoolLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves CNI calls that the plugin drops into the spool directory ({@link SpoolLayout}): each file
 * holds the HTTP bytes of one {@code POST /v1/cni}, handed to the CNI handler. The plugin takes
 * this way, not the agent socket, because it starts much faster with plain file I/O than with the
 * JDK's unix sockets.
 *
 * <p>A watch (inotify) on the directory sees each request as it is renamed in; the watcher claims
 * it with one rename and hands it to a bounded pool of workers. When all workers are busy the
 * request is answered 503 at once, as the socket refuses a connection beyond its limit, and the
 * plugin answers "try again later". A ticker touches the heartbeat every second, and sweeps stale
 * files and any request a lost watch event left behind.
 */
public final class SpoolServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SpoolServer.class.getName());

  private final SpoolDir spool;
  private final HttpHandler cni;
  private final WatchService watch;
  private final ExecutorService workers;
  private final ScheduledExecutorService ticker;
  private final Thread watcher;
  private volatile long lastBeatMillis;

  private SpoolServer(SpoolDir spool, HttpHandler cni, int maxConcurrent) throws IOException {
    this.spool = spool;
    this.cni = cni;
    this.watch = spool.dir().getFileSystem().newWatchService();
    spool.dir().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
    this.workers =
        new ThreadPoolExecutor(
            0,
            maxConcurrent,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads("spiderpool-spool-worker"));
    this.watcher = daemonThreads("spiderpool-spool-watch").newThread(this::watchLoop);
    watcher.start();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("spiderpool-spool-tick"));
    // the first heartbeat only once requests are watched: a plugin that sees it is served
    tick();
    ticker.scheduleAtFixedRate(
        this::tick,
        SpoolLayout.HEARTBEAT_PERIOD_MILLIS,
        SpoolLayout.HEARTBEAT_PERIOD_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** The spool of the daemon serving {@code socket}: the directory next to it. */
  public static Path dirFor(Path socket) {
    return Path.of(SpoolLayout.dirOf(socket.toString()));
  }

  /**
   * Takes over {@code dir} (created mode 0700, cleared) and serves it with {@code cni}, at most
   * {@code maxConcurrent} calls at a time. Fails when another daemon serves it.
   */
  public static SpoolServer start(Path dir, HttpHandler cni, int maxConcurrent) throws IOException {
    SpoolDir spool = SpoolDir.open(dir);
    try {
      return new SpoolServer(spool, cni, maxConcurrent);
    } catch (IOException | RuntimeException e) {
      spool.close();
      throw e;
    }
  }

  public Path dir() {
    return spool.dir();
  }

  /** Requests are watched and the heartbeat is fresh, i.e. what a plugin needs right now. */
  public boolean healthy() {
    return watcher.isAlive()
        && System.currentTimeMillis() - lastBeatMillis <= SpoolLayout.HEARTBEAT_STALE_MILLIS;
  }

  private void watchLoop() {
    while (true) {
      WatchKey key;
      try {
        key = watch.take();
      } catch (ClosedWatchServiceException | InterruptedException closed) {
        return;
      }
      boolean overflow = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
          overflow = true;
        } else if (event.context() instanceof Path name
            && name.toString().endsWith(SpoolLayout.REQUEST)) {
          String n = name.toString();
          claim(n.substring(0, n.length() - SpoolLayout.REQUEST.length()));
        }
      }
      if (overflow) {
        sweep();
      }
      if (!key.reset()) {
        LOG.severe(
            "the CNI spool "
                + spool.dir()
                + " was removed; CNI calls fail until the daemon restarts");
        return;
      }
    }
  }

  private void tick() {
    try {
      spool.beat();
      lastBeatMillis = System.currentTimeMillis();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot touch the CNI spool heartbeat in " + spool.dir(), e);
    }
    sweep();
  }

  private void sweep() {
    try {
      spool.sweep(System.currentTimeMillis(), this::claim);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot sweep the CNI spool " + spool.dir(), e);
    }
  }

  /** Takes a request unless the plugin withdrew it, or another claim (watch vs sweep) won. */
  private void claim(String id) {
    try {
      Files.move(
          spool.file(id, SpoolLayout.REQUEST),
          spool.file(id, SpoolLayout.CLAIMED),
          StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException taken) {
      return;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot claim CNI request " + id + " in " + spool.dir(), e);
      return;
    }
    try {
      workers.execute(() -> serve(id));
    } catch (RejectedExecutionException e) {
      answer(id, HttpResponse.json(503, "\"too many concurrent CNI calls on the spool; retry\""));
    }
  }

  private void serve(String id) {
    HttpResponse response;
    try {
      HttpRequest request =
          HttpCodec.readRequest(
              new ByteArrayInputStream(Files.readAllBytes(spool.file(id, SpoolLayout.CLAIMED))));
      response =
          request == null
              ? HttpResponse.json(400, JsonWriter.write("empty request"))
              : dispatch(request);
    } catch (HttpCodec.BadRequest e) {
      response = HttpResponse.json(400, JsonWriter.write(e.getMessage()));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read CNI request " + id + " in " + spool.dir(), e);
      response =
          HttpResponse.json(500, JsonWriter.write("cannot read the request: " + e.getMessage()));
    }
    answer(id, response);
  }

  /** The CNI route only; the rest of the agent API stays on the socket. */
  private HttpResponse dispatch(HttpRequest request) {
    if (!request.path().equals(CniExchange.PATH)) {
      return HttpResponse.json(
          404,
          JsonWriter.write(
              "path "
                  + request.path()
                  + " not found: the CNI spool"
                  + " serves only POST "
                  + CniExchange.PATH));
    }
    if (!request.method().equals("POST")) {
      return HttpResponse.json(
              405,
              JsonWriter.write(
                  "method " + request.method() + " not allowed on " + CniExchange.PATH))
          .withHeader("Allow", "POST");
    }
    try {
      return cni.handle(request);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "POST " + CniExchange.PATH + " from the spool failed", e);
      return HttpResponse.json(500, JsonWriter.write(String.valueOf(e.getMessage())));
    }
  }

  /** Publishes the reply whole (written aside, then renamed) and drops the claimed request. */
  private void answer(String id, HttpResponse response) {
    Path part = spool.file(id, SpoolLayout.ANSWERING);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      HttpCodec.write(bytes, response, true);
      Files.write(part, bytes.toByteArray());
      Files.move(part, spool.file(id, SpoolLayout.RESPONSE), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "cannot answer CNI request "
              + id
              + " in "
              + spool.dir()
              + "; the plugin will report the daemon unreachable",
          e);
    } finally {
      try {
        Files.deleteIfExists(spool.file(id, SpoolLayout.CLAIMED));
      } catch (IOException e) {
        LOG.log(
            Level.FINE, "cannot delete a claimed CNI request; the next daemon start clears it", e);
      }
    }
  }

  /** Stops watching and serving; removes the heartbeat and pending files, releases the spool. */
  @Override
  public void close() throws IOException {
    ticker.shutdownNow();
    watch.close();
    workers.shutdownNow();
    try {
      watcher.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    spool.close();
  }

  private static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
