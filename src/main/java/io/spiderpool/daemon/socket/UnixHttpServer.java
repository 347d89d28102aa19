// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.socket;

import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.wire.HttpCodec;
import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * An HTTP/1.1 server on a unix domain socket using only the JDK. The agent API lives here and only
 * here: it is never reachable over TCP, and the socket file is mode 0600, so only root on the node
 * (the runtime calling the CNI plugin) can allocate or release addresses.
 *
 * <p>At start a stale socket file left by a crashed daemon is replaced; a socket that still answers
 * is a live daemon, and starting fails instead of stealing its path.
 */
public final class UnixHttpServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(UnixHttpServer.class.getName());

  private final Path path;
  private final Map<String, Map<String, HttpHandler>> routes;
  private final ServerSocketChannel server;
  private final ExecutorService workers;
  private final ScheduledExecutorService reaper;
  private final Map<SocketChannel, Long> idleSince = new ConcurrentHashMap<>();
  private final long idleTimeoutNanos;
  private final Thread acceptor;

  private UnixHttpServer(
      Path path,
      Map<String, Map<String, HttpHandler>> routes,
      int maxConnections,
      long idleTimeoutMillis)
      throws IOException {
    this.path = path;
    this.routes = routes;
    this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    this.server = bind(path);
    this.workers =
        new ThreadPoolExecutor(
            0,
            maxConnections,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads("spiderpool-socket-worker"));
    this.reaper =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("spiderpool-socket-reaper"));
    long period = Math.max(100, idleTimeoutMillis / 4);
    reaper.scheduleAtFixedRate(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    this.acceptor = daemonThreads("spiderpool-socket-accept").newThread(this::acceptLoop);
    acceptor.start();
  }

  /** Collects routes, then {@link #start}s the server. */
  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /** Route table and limits. */
  public static final class Builder {
    private final Path path;
    private final Map<String, Map<String, HttpHandler>> routes = new LinkedHashMap<>();
    private int maxConnections = 512;
    private long idleTimeoutMillis = 60_000;

    private Builder(Path path) {
      this.path = path;
    }

    public Builder route(String method, String path, HttpHandler handler) {
      routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
      return this;
    }

    /**
     * Concurrent connections served; more are refused with 503. Generous by default: a thread
     * lingers briefly on a connection after its answer, and a burst of pod starts on a node must
     * not be refused for that.
     */
    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    /** A kept-alive connection idle this long between requests is closed. */
    public Builder idleTimeoutMillis(long ms) {
      this.idleTimeoutMillis = ms;
      return this;
    }

    public UnixHttpServer start() throws IOException {
      return new UnixHttpServer(path, Map.copyOf(routes), maxConnections, idleTimeoutMillis);
    }
  }

  public Path path() {
    return path;
  }

  private static ServerSocketChannel bind(Path path) throws IOException {
    PrivateDirs.createParents(path);
    if (Files.exists(path)) {
      if (answers(path)) {
        throw new IOException("another process is serving " + path + "; stop it first");
      }
      Files.delete(path);
    }
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    ch.bind(UnixDomainSocketAddress.of(path));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    return ch;
  }

  private static boolean answers(Path path) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      return probe.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.log(Level.WARNING, "accept on " + path + " failed", e);
        continue;
      }
      try {
        workers.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        refuse(client);
      }
    }
  }

  private void refuse(SocketChannel client) {
    try (client) {
      HttpCodec.write(
          Channels.newOutputStream(client),
          HttpResponse.json(503, "\"too many concurrent requests on the agent socket; retry\""),
          true);
    } catch (IOException ignored) {
      // the client is gone; nothing to tell it
    }
  }

  private void serve(SocketChannel client) {
    try (client) {
      InputStream in = Channels.newInputStream(client);
      OutputStream out = Channels.newOutputStream(client);
      while (true) {
        idleSince.put(client, System.nanoTime());
        HttpRequest req;
        try {
          req = HttpCodec.readRequest(in);
        } catch (HttpCodec.BadRequest e) {
          HttpCodec.write(out, HttpResponse.json(400, JsonWriter.write(e.getMessage())), true);
          lingerThenClose(client, in);
          return;
        } finally {
          idleSince.remove(client);
        }
        if (req == null) {
          return;
        }
        boolean close = "close".equalsIgnoreCase(req.header("connection"));
        HttpCodec.write(out, dispatch(req), close);
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "agent socket connection ended", e);
    } finally {
      idleSince.remove(client);
    }
  }

  /**
   * Closing a unix socket with unread input makes the peer see a reset instead of our 400, so
   * half-close, then drain what the client still sends (bounded; the reaper ends a stalled peer).
   */
  private void lingerThenClose(SocketChannel client, InputStream in) throws IOException {
    client.shutdownOutput();
    idleSince.put(client, System.nanoTime());
    byte[] sink = new byte[4096];
    int total = 0;
    while (total < HttpCodec.MAX_BODY && in.read(sink) >= 0) {
      total += sink.length;
    }
  }

  private HttpResponse dispatch(HttpRequest req) {
    Map<String, HttpHandler> byMethod = routes.get(req.path());
    if (byMethod == null) {
      return HttpResponse.json(404, JsonWriter.write("path " + req.path() + " not found"));
    }
    HttpHandler h = byMethod.get(req.method());
    if (h == null) {
      return HttpResponse.json(
              405, JsonWriter.write("method " + req.method() + " not allowed on " + req.path()))
          .withHeader("Allow", String.join(", ", byMethod.keySet()));
    }
    try {
      return h.handle(req);
    } catch (Exception e) {
      LOG.log(Level.WARNING, req.method() + " " + req.path() + " failed", e);
      return HttpResponse.json(500, JsonWriter.write(String.valueOf(e.getMessage())));
    }
  }

  private void closeIdle() {
    long now = System.nanoTime();
    for (Map.Entry<SocketChannel, Long> e : Set.copyOf(idleSince.entrySet())) {
      if (now - e.getValue() > idleTimeoutNanos) {
        try {
          e.getKey().close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }
  }

  /** Stops accepting, closes open connections and removes the socket file. */
  @Override
  public void close() throws IOException {
    server.close();
    reaper.shutdownNow();
    workers.shutdownNow();
    for (SocketChannel c : Set.copyOf(idleSince.keySet())) {
      c.close();
    }
    Files.deleteIfExists(path);
  }

  private static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
