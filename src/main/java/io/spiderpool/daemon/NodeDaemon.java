// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.daemon.agent.AgentApi;
import io.spiderpool.daemon.cni.CniRequestHandler;
import io.spiderpool.daemon.probe.SocketProbe;
import io.spiderpool.daemon.probe.TcpEndpoint;
import io.spiderpool.daemon.probe.TcpEndpoint.Reply;
import io.spiderpool.daemon.socket.UnixHttpServer;
import io.spiderpool.daemon.spool.SpoolServer;
import io.spiderpool.service.ipam.IpamService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The node daemon's listeners, in Spiderpool's order: the agent API on the unix socket, then the
 * probe port, then (if enabled) the metrics port; only then is start-up marked finished, so the
 * startup probe turns green when a CNI call can be served. Plain Java: the command wires it from
 * CDI, tests from fakes. The CNI spool next to the socket ({@link SpoolServer}) opens first. {@link
 * #close} removes the socket file and the spool's heartbeat.
 */
public final class NodeDaemon implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NodeDaemon.class.getName());
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Concurrent CNI calls through the spool, as many as the socket's connections. */
  static final int SPOOL_MAX_CALLS = 512;

  private final DaemonSettings settings;
  private final Path socketPath;
  private final IpamService ipam;
  private final IpamMetrics metrics;
  private final Supplier<String> metricsText;
  private final boolean ipv4Enabled;
  private volatile boolean started;
  private UnixHttpServer agent;
  private SpoolServer spool;
  private TcpEndpoint health;
  private TcpEndpoint metricsEndpoint;

  /**
   * @param socketPath the agent socket (settings resolved against conf.yml)
   * @param metricsText the Prometheus exposition served on the metrics port
   */
  public NodeDaemon(
      DaemonSettings settings,
      Path socketPath,
      IpamService ipam,
      IpamMetrics metrics,
      Supplier<String> metricsText) {
    this(settings, socketPath, ipam, metrics, metricsText, true);
  }

  /**
   * @param ipv4Enabled conf.yml's {@code enableIPv4}: probes default to ::1 without it
   */
  public NodeDaemon(
      DaemonSettings settings,
      Path socketPath,
      IpamService ipam,
      IpamMetrics metrics,
      Supplier<String> metricsText,
      boolean ipv4Enabled) {
    this.settings = settings;
    this.socketPath = socketPath;
    this.ipam = ipam;
    this.metrics = metrics;
    this.metricsText = metricsText;
    this.ipv4Enabled = ipv4Enabled;
  }

  /** Opens every listener; on failure closes what was opened and rethrows. */
  public NodeDaemon start() throws IOException {
    try {
      CniRequestHandler cni =
          new CniRequestHandler(
              ipam, (network, valid) -> ipam.releaseOrphans(settings.nodeName()), () -> started);
      // the plugin's way in, opened before the socket: whoever sees the socket answer (a probe,
      // a test harness) can also make CNI calls
      SpoolServer cniSpool =
          SpoolServer.start(SpoolServer.dirFor(socketPath), cni, SPOOL_MAX_CALLS);
      spool = cniSpool;
      agent = new AgentApi(ipam, metrics).register(UnixHttpServer.builder(socketPath)).start();
      SocketProbe probe = new SocketProbe(socketPath, 2_000);
      Supplier<Reply> alive = () -> Reply.status(probe.healthy() && cniSpool.healthy() ? 200 : 500);
      health =
          TcpEndpoint.start(
              "health",
              settings.healthBindAddress(ipv4Enabled),
              settings.healthPort(),
              Map.of(
                  "/v1/runtime/startup", () -> Reply.status(started ? 200 : 500),
                  "/v1/runtime/readiness", alive,
                  "/v1/runtime/liveness", alive));
      if (settings.metricsEnabled()) {
        metricsEndpoint =
            TcpEndpoint.start(
                "metrics",
                settings.metricsAddress(),
                settings.metricsPort(),
                Map.of("/metrics", () -> new Reply(200, PROMETHEUS_TEXT, metricsText.get())));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    started = true;
    LOG.info(
        "node daemon for node "
            + settings.nodeName()
            + " serving the IPAM API on unix:"
            + socketPath
            + ", CNI calls also on "
            + spool.dir()
            + ", probes on "
            + where(health)
            + (metricsEndpoint != null
                ? ", metrics on " + where(metricsEndpoint)
                : " (metrics disabled)"));
    return this;
  }

  private static String where(TcpEndpoint e) {
    return e.address().getAddress().getHostAddress() + ":" + e.port();
  }

  /** The bound probe address. */
  public InetSocketAddress healthAddress() {
    return health.address();
  }

  /** The bound metrics address, or null when metrics are disabled. */
  public InetSocketAddress metricsAddress() {
    return metricsEndpoint == null ? null : metricsEndpoint.address();
  }

  public boolean started() {
    return started;
  }

  public Path socketPath() {
    return socketPath;
  }

  /** The bound probe port. */
  public int healthPort() {
    return health.port();
  }

  /** The bound metrics port, or -1 when metrics are disabled. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  /**
   * Stops serving in reverse order; the socket file and the spool heartbeat are removed. Safe to
   * call twice.
   */
  @Override
  public synchronized void close() {
    started = false;
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
      metricsEndpoint = null;
    }
    if (health != null) {
      health.close();
      health = null;
    }
    if (agent != null) {
      try {
        agent.close();
      } catch (IOException e) {
        LOG.warning("closing the agent socket " + socketPath + " failed: " + e);
      }
      agent = null;
    }
    if (spool != null) {
      try {
        spool.close();
      } catch (IOException e) {
        LOG.warning("closing the CNI spool " + spool.dir() + " failed: " + e);
      }
      spool = null;
    }
  }
}
