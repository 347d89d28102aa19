// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.admission.SubnetFeatureRules;
import io.spiderpool.core.admission.Validator;
import io.spiderpool.core.config.ClusterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The admission webhook server every daemon runs: HTTPS with the JDK's {@code HttpsServer}, the
 * certificate reloaded from its files when they change, Spiderpool's paths. Stateless apart from
 * the claims ConfigMap, so any number of daemons can serve behind one webhook configuration.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WebhookServer.class.getName());
  private static final int WORKERS = 4;

  /** TLS 1.2 and 1.3 only: what the API server speaks, without the deprecated versions. */
  private static final String[] TLS_VERSIONS = {"TLSv1.3", "TLSv1.2"};

  private final HttpsServer server;
  private final ExecutorService executor;
  private final ReloadingKeyManager keys;
  private final ClaimFollower follower;

  private WebhookServer(
      HttpsServer server,
      ExecutorService executor,
      ReloadingKeyManager keys,
      ClaimFollower follower) {
    this.server = server;
    this.executor = executor;
    this.keys = keys;
    this.follower = follower;
  }

  /**
   * Starts serving; returns once the port is bound.
   *
   * @throws UncheckedIOException when the certificate or key cannot be loaded (the message names
   *     the file and the fix) or the port cannot be bound
   */
  public static WebhookServer start(
      WebhookSettings settings, KubernetesClient client, ClusterConfig config) {
    return start(
        settings,
        new KubernetesClusterObjects(client),
        new ConfigMapClaimStore(client, settings.namespace()),
        config);
  }

  /** Starts with other adapters of the ports (tests). */
  public static WebhookServer start(
      WebhookSettings settings, ClusterObjects objects, ClaimStore claims, ClusterConfig config) {
    try {
      ReloadingKeyManager keys =
          new ReloadingKeyManager(
              settings.certFile(), settings.keyFile(), settings.certCheckInterval());
      SSLContext tls = SSLContext.getInstance("TLS");
      TrustManager[] clientCas =
          settings.clientCaFile() == null ? null : ClientCa.trustManagers(settings.clientCaFile());
      tls.init(new KeyManager[] {keys}, clientCas, null);
      HttpsServer server =
          HttpsServer.create(
              new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port()),
              64);
      boolean mutual = clientCas != null;
      server.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = tls.getDefaultSSLParameters();
              p.setProtocols(TLS_VERSIONS);
              p.setNeedClientAuth(mutual);
              params.setSSLParameters(p);
            }
          });
      Clock clock = Clock.systemUTC();
      OverlapGuard guard = new OverlapGuard(objects, claims, settings.claimTtl(), clock);
      ClaimFollower follower =
          new ClaimFollower(
              objects,
              guard,
              Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "webhook-claims")),
              clock);
      server.createContext(
          "/",
          new AdmissionHandler(
              new Validator(config), guard, follower, new SubnetFeatureRules(config), objects));
      AtomicInteger n = new AtomicInteger();
      ExecutorService executor =
          Executors.newFixedThreadPool(
              WORKERS, r -> daemonThread(r, "webhook-" + n.incrementAndGet()));
      server.setExecutor(executor);
      server.start();
      LOG.info(
          () ->
              "admission webhooks listening on https://"
                  + settings.bindAddress()
                  + ":"
                  + server.getAddress().getPort()
                  + (mutual
                      ? ", serving only clients with a certificate signed by "
                          + settings.clientCaFile()
                      : ", to any client (set "
                          + WebhookSettings.ENV_CLIENT_CA
                          + " so that only the API server is served)"));
      return new WebhookServer(server, executor, keys, follower);
    } catch (IOException e) {
      throw new UncheckedIOException("webhook server not started: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no TLS: " + e.getMessage(), e);
    }
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The bound port (the chosen one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The certificate served now, after looking for a rotated one. */
  public X509Certificate certificate() {
    return keys.certificate();
  }

  @Override
  public void close() {
    follower.close();
    server.stop(1);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
