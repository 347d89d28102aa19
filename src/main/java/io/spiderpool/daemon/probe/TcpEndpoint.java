// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A tiny GET-only HTTP listener on TCP (the JDK's {@code com.sun.net.httpserver}) for the probe and
 * metrics ports. Spiderpool serves them on two ports (5710, 5711); Quarkus' HTTP server has one
 * main port and a build-time fixed management port, and the CLI modes of the same binary must bind
 * nothing, so the daemon opens these itself, only in daemon mode. Paths match exactly.
 */
public final class TcpEndpoint implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TcpEndpoint.class.getName());

  /** A response: status, content type, body. */
  public record Reply(int status, String contentType, String body) {
    public static Reply status(int status) {
      return new Reply(status, "text/plain; charset=utf-8", "");
    }

    /** 200 with a Prometheus text exposition (format 0.0.4). */
    public static Reply prometheus(String text) {
      return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", text);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private TcpEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} (an IP literal; 0.0.0.0 or :: for every address) on {@code port} (0: any
   * free port) and serves {@code routes}.
   */
  public static TcpEndpoint start(
      String name, String address, int port, Map<String, Supplier<Reply>> routes)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
    server.createContext("/", exchange -> serve(exchange, routes));
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "spiderpool-" + name);
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new TcpEndpoint(server, executor);
  }

  private static void serve(HttpExchange exchange, Map<String, Supplier<Reply>> routes)
      throws IOException {
    try (exchange) {
      Supplier<Reply> route = routes.get(exchange.getRequestURI().getPath());
      Reply reply;
      if (route == null) {
        reply = Reply.status(404);
      } else if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        reply = Reply.status(405);
      } else {
        reply = safely(route);
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(reply.status(), head || body.length == 0 ? -1 : body.length);
      if (!head && body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static Reply safely(Supplier<Reply> route) {
    try {
      return route.get();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "probe/metrics handler failed", e);
      return new Reply(500, "text/plain; charset=utf-8", String.valueOf(e.getMessage()));
    }
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The bound port (useful when started with 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
