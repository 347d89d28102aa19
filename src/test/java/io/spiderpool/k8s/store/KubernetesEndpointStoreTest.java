// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.service.ipam.EndpointRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
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
      EndpointRecord r =
          new EndpointRecord(
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
      assertNamed(() -> store.create(r), "create SpiderEndpoint ns1/pod1");
      assertNamed(() -> store.get("ns1", "pod1"), "read SpiderEndpoint ns1/pod1");
      assertNamed(() -> store.update(r), "update SpiderEndpoint ns1/pod1");
      assertNamed(() -> store.delete("ns1", "pod1", "uid-1"), "delete SpiderEndpoint ns1/pod1");
      assertNamed(() -> store.listOnNode("node-a"), "list SpiderEndpoints");
    }
  }
}
