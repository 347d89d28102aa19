// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.error.OutcomeUnknownException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.service.ipam.EndpointRecord;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * An API server that cannot be reached makes every endpoint call fail with a {@link
 * TransientException} naming the call, the object and the cause (docs/reliability.md, fault 2): an
 * ADD whose endpoint write was cut by an API server restart used to answer the bare client message
 * "Connection was closed", and the plugin turned it into an internal error instead of code 11.
 */
class KubernetesEndpointStoreTest {

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void assertNamed(ThrowingCallable call, String what) {
    assertThatThrownBy(call)
        .isInstanceOf(TransientException.class)
        .hasMessageStartingWith("cannot " + what + ": API server unreachable: ");
  }

  @Test
  void everyCallToAnUnreachableApiServerFailsAsTransientNamingWhatItDid() throws IOException {
    Config config =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + closedPort())
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(2_000)
            .withRequestTimeout(2_000)
            .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      KubernetesEndpointStore store = new KubernetesEndpointStore(client);
      EndpointRecord r = endpoint();
      assertNamed(() -> store.create(r), "create SpiderEndpoint ns1/pod1");
      assertNamed(() -> store.get("ns1", "pod1"), "read SpiderEndpoint ns1/pod1");
      assertNamed(() -> store.update(r), "update SpiderEndpoint ns1/pod1");
      assertNamed(() -> store.delete("ns1", "pod1", "uid-1"), "delete SpiderEndpoint ns1/pod1");
      assertNamed(() -> store.listOnNode("node-a"), "list SpiderEndpoints");
    }
  }

  @Test
  void aWriteThatGetsNoAnswerIsOfUnknownOutcomeAndARefusedOneIsNot() throws Exception {
    assertThat(KubernetesEndpointStore.mayHaveLanded(new KubernetesClientException("x", 504, null)))
        .as("etcd did not confirm in time")
        .isTrue();
    assertThat(KubernetesEndpointStore.mayHaveLanded(new KubernetesClientException("x", 500, null)))
        .isTrue();
    assertThat(KubernetesEndpointStore.mayHaveLanded(new KubernetesClientException("x", 422, null)))
        .isFalse();
    assertThat(KubernetesEndpointStore.mayHaveLanded(new KubernetesClientException("x", 429, null)))
        .isFalse();
    assertThat(
            KubernetesEndpointStore.mayHaveLanded(
                new KubernetesClientException("x", new ConnectException("Connection refused"))))
        .isFalse();
    assertThat(
            KubernetesEndpointStore.mayHaveLanded(
                new KubernetesClientException("x", new SocketTimeoutException("read timed out"))))
        .isTrue();

    // a server that takes the request and never answers: the client's timeout, outcome unknown
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Config config =
          new ConfigBuilder()
              .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
              .withRequestRetryBackoffLimit(0)
              .withConnectionTimeout(2_000)
              .withRequestTimeout(1_000)
              .build();
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        KubernetesEndpointStore store = new KubernetesEndpointStore(client);
        assertThatThrownBy(() -> store.create(endpoint()))
            .isInstanceOf(OutcomeUnknownException.class)
            .hasMessageStartingWith(
                "cannot create SpiderEndpoint ns1/pod1, and whether the API server stored it is"
                    + " unknown: API server unreachable: ");
      } finally {
        silent.close();
        acceptor.join(5_000);
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  private static EndpointRecord endpoint() {
    return new EndpointRecord(
        "ns1",
        "pod1",
        "uid-1",
        "node-a",
        "Pod",
        "pod1",
        List.of(
            new EndpointRecord.Nic(
                "eth0", "10.0.0.5/24", "pool-a", null, null, null, null, false, List.of())),
        false,
        "7");
  }
}
