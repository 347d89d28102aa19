// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.daemon.ApiClientRetries;
import io.spiderpool.k8s.pods.KubernetesPodDirectory;
import io.spiderpool.k8s.store.KubernetesEndpointStore;
import io.spiderpool.k8s.store.KubernetesPoolStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reads and writes of an ADD when the API server refuses connections (a daemon cut off from it,
 * docs/reliability.md fault 4), with the daemon's client settings ({@link ApiClientRetries}): each
 * fails within a couple of seconds with a {@link TransientException} saying the API server is
 * unreachable and why. Before, a Pod or SpiderEndpoint read threw fabric8's exception ("Operation:
 * [get] for kind: [Pod] ... failed.", an internal error to the runtime) after 19.5 s of fabric8's
 * ten retries.
 */
class ApiUnreachableTest {
  /**
   * Three retries back off 0.1 + 0.2 + 0.4 s and each refused connect returns at once; the bound
   * leaves room for a loaded machine and stays under the 19.5 s of fabric8's default ten retries.
   */
  private static final Duration FAST = Duration.ofSeconds(8);

  private static KubernetesClient client;

  @BeforeAll
  static void clientOfAnApiServerThatIsNotThere() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: connections to it are refused
    }
    Config config =
        new ConfigBuilder().withMasterUrl("https://127.0.0.1:" + port).withTrustCerts(true).build();
    ApiClientRetries.apply(config);
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static void failsFastNamingTheApiServer(String what, ThrowingCallable call) {
    long t0 = System.nanoTime();
    assertThatThrownBy(call)
        .as(what)
        .isInstanceOf(TransientException.class)
        .hasMessageContaining("API server unreachable: ")
        .hasMessageContaining("Connection refused");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    System.err.printf("%s failed after %d ms%n", what, took.toMillis());
    assertThat(took).as(what).isLessThan(FAST);
  }

  @Test
  void aPodReadFailsFastNamingTheApiServer() {
    KubernetesPodDirectory pods = new KubernetesPodDirectory(client, null);
    failsFastNamingTheApiServer("Pod read", () -> pods.pod("ns", "p"));
  }

  @Test
  void endpointReadsAndWritesFailFastNamingTheApiServer() {
    KubernetesEndpointStore endpoints = new KubernetesEndpointStore(client);
    failsFastNamingTheApiServer("SpiderEndpoint read", () -> endpoints.get("ns", "p"));
    failsFastNamingTheApiServer("SpiderEndpoint delete", () -> endpoints.delete("ns", "p", "uid"));
  }

  @Test
  void aPoolReadFailsFastNamingTheApiServer() {
    KubernetesPoolStore pools = new KubernetesPoolStore(client);
    failsFastNamingTheApiServer("IPPool read", () -> pools.read("pool"));
  }

  @Test
  void aPoolWriteFailsFastNamingTheApiServer() {
    KubernetesPoolStore pools = new KubernetesPoolStore(client);
    failsFastNamingTheApiServer(
        "IPPool write", () -> pools.writeRecords("pool", "1", PoolRecords.parse(null)));
  }
}
