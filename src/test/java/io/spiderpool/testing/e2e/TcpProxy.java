// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between one client (a daemon) and one server (the API server) that a
 * test can break and heal, for fault 4 of docs/reliability.md. It forwards bytes only; TLS passes
 * through untouched, so a kubeconfig whose server URL names {@link #port()} instead of the API
 * server's port works as before (the certificate is for 127.0.0.1 either way).
 *
 * <ul>
 *   <li>{@link #refuse()}: the listening socket is closed, so a new connection is refused
 *       (ECONNREFUSED), and every open connection is reset (RST), as when a node loses its route
 *       and the kernel answers for the peer;
 *   <li>{@link #stall()}: connections are still accepted, but no byte goes either way, on new or
 *       open connections, as when packets are silently dropped: the client learns only by its own
 *       timeouts;
 *   <li>{@link #heal()}: forwarding resumes (the listener is bound again to the same port).
 * </ul>
 *
 * Threads are daemon threads, one per direction per connection.
 */
public final class TcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private volatile ServerSocket listener;
  private volatile boolean stalled;
  private volatile boolean closed;
  private final Object gate = new Object();

  private TcpProxy(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
    this.port = listener.getLocalPort();
    startAccepting(listener);
  }

  /** A proxy on a free loopback port forwarding to {@code targetPort} on 127.0.0.1. */
  public static TcpProxy to(int targetPort) {
    return new TcpProxy(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), bind(0));
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** Connections accepted so far. */
  public long accepted() {
    return accepted.get();
  }

  /** New connections refused, open ones reset. */
  public synchronized void refuse() {
    ServerSocket l = listener;
    listener = null;
    closeQuietly(l);
    for (Socket s : open) {
      reset(s);
    }
  }

  /** Nothing forwarded, connections kept (and new ones accepted) until {@link #heal()}. */
  public void stall() {
    stalled = true;
  }

  /** Forwarding again; a refused listener is bound again to {@link #port()}. */
  public synchronized void heal() {
    if (listener == null) {
      ServerSocket l = bind(port);
      listener = l;
      startAccepting(l);
    }
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  private static ServerSocket bind(int port) {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the proxy to 127.0.0.1:" + port, e);
    }
  }

  private void startAccepting(ServerSocket l) {
    Thread t = new Thread(() -> acceptLoop(l), "tcp-proxy-accept-" + port);
    t.setDaemon(true);
    t.start();
  }

  private void acceptLoop(ServerSocket l) {
    while (!l.isClosed()) {
      Socket client;
      try {
        client = l.accept();
      } catch (IOException e) {
        return; // closed by refuse() or close()
      }
      accepted.incrementAndGet();
      open.add(client);
      Thread t = new Thread(() -> connect(client), "tcp-proxy-conn-" + port);
      t.setDaemon(true);
      t.start();
    }
  }

  private void connect(Socket client) {
    awaitNotStalled();
    Socket server = new Socket();
    try {
      server.connect(target, 5_000);
    } catch (IOException e) {
      closeQuietly(server);
      open.remove(client);
      reset(client);
      return;
    }
    open.add(server);
    pump(server, client, "up");
    pump(client, server, "down");
  }

  private void pump(Socket from, Socket to, String way) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  awaitNotStalled();
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // reset or closed: the other direction ends too
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "tcp-proxy-" + way + "-" + port);
    t.setDaemon(true);
    t.start();
  }

  /** While stalled, holds the bytes read last; back-pressure stops the peer's writes. */
  private void awaitNotStalled() {
    synchronized (gate) {
      while (stalled && !closed) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close() then sends RST instead of FIN
    } catch (SocketException e) {
      // already closed
    }
    closeQuietly(s);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing a proxy's socket: nothing to report
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    synchronized (gate) {
      gate.notifyAll();
    }
    closeQuietly(listener);
    listener = null;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}
