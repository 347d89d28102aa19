// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import static io.spiderpool.testing.Waits.CLUSTER;
import static io.spiderpool.testing.Waits.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.annotation.MultusAnnotations;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.store.KubernetesIpam;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pod annotations near Kubernetes' cap on an object's annotations (256 KiB, keys and values
 * together), through a real API server: what the API server refuses itself, and what an ADD does
 * with an annotation it accepted — refused with {@link InvalidInputException} naming the annotation
 * (CNI code 7), nothing written: no pool record, no SpiderEndpoint. docs/reliability.md, "Bad input
 * at the edges".
 */
@ExtendWith(ControlPlaneExtension.class)
class OversizedAnnotationsIT {
  private static final String NS = "oversized-it";
  private static final String POOL = "oversized-v4";

  /** Kubernetes' TotalAnnotationSizeLimitB: keys plus values of all annotations, in bytes. */
  static final int CAP = 256 * 1024;

  private static KubernetesClient admin;
  private static KubernetesClient node;
  private static KubernetesIpam ipam;

  @BeforeAll
  static void start(LocalControlPlane cp) {
    admin = cp.client();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    node = cp.newClient();
    ipam = new KubernetesIpam(node, EngineSettings.defaults(ClusterConfig.DEFAULTS));
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(POOL);
    SpiderIPPoolSpec s = new SpiderIPPoolSpec();
    s.setSubnet("10.75.0.0/24");
    s.setIpVersion(4L);
    s.setIps(List.of("10.75.0.10-10.75.0.250"));
    p.setSpec(s);
    admin.resource(p).create();
    await("pool " + POOL + " in the engine's cache")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> ipam.knowsPool(POOL));
  }

  @AfterAll
  static void stop() {
    ipam.close();
    node.close();
  }

  private static Pod pod(String name, Map<String, String> annotations) {
    return admin
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-x")
                .addNewContainer()
                .withName("c")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private static AddRequest add(Pod p) {
    return new AddRequest(
        "cid-" + p.getMetadata().getName(),
        "eth0",
        "/var/run/netns/x",
        NS,
        p.getMetadata().getName(),
        p.getMetadata().getUid(),
        List.of(),
        List.of(),
        false,
        false);
  }

  /** {@code key} with a value that brings the annotations to exactly {@code total} bytes. */
  private static Map<String, String> filling(String key, String head, String tail, int total) {
    int fill = total - key.length() - head.length() - tail.length();
    return Map.of(key, head + "x".repeat(fill) + tail);
  }

  private static int size(Map<String, String> annotations) {
    int n = 0;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      n += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      n += e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }

  @Test
  void theApiServerRefusesAnnotationsOverTheCapAndAcceptsThemAtIt() {
    Map<String, String> at = filling(IpamAnnotations.POD_IPPOOL, "", "", CAP);
    assertThat(size(at)).isEqualTo(CAP);
    Pod accepted = pod("at-the-cap", at);
    assertThat(accepted.getMetadata().getAnnotations()).isEqualTo(at);

    Map<String, String> over = filling(IpamAnnotations.POD_IPPOOL, "", "", CAP + 1);
    assertThatThrownBy(() -> pod("over-the-cap", over))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              System.err.println("API server on " + (CAP + 1) + " bytes: " + e.getMessage());
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage())
                  .contains("metadata.annotations")
                  .contains("Too long")
                  .contains(String.valueOf(CAP));
            });
    assertThat(admin.pods().inNamespace(NS).withName("over-the-cap").get()).isNull();
    // one byte over, spread across two annotations: the cap is on the total
    Map<String, String> two =
        Map.of(
            MultusAnnotations.NETWORKS,
            "x".repeat(CAP / 2),
            IpamAnnotations.POD_IPPOOL,
            "x"
                .repeat(
                    CAP / 2
                        + 1
                        - MultusAnnotations.NETWORKS.length()
                        - IpamAnnotations.POD_IPPOOL.length()));
    assertThat(size(two)).isEqualTo(CAP + 1);
    assertThatThrownBy(() -> pod("over-in-total", two))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
  }

  @Test
  void anIppoolOfGarbageAtTheCapIsRefusedNamingIt() {
    refusedNamingIt(
        "garbage",
        filling(IpamAnnotations.POD_IPPOOL, "", "", CAP),
        IpamAnnotations.POD_IPPOOL,
        "invalid JSON at line 1, column 1");
  }

  @Test
  void anIppoolNamingThousandsOfPoolsNamesTheFirstMissingOneAndTheAnnotation() {
    StringBuilder v = new StringBuilder("{\"ipv4\":[");
    int i = 0;
    while (v.length() + IpamAnnotations.POD_IPPOOL.length() < CAP - 40) {
      v.append(i == 0 ? "" : ",").append("\"missing-").append(i++).append('"');
    }
    Map<String, String> a = Map.of(IpamAnnotations.POD_IPPOOL, v.append("]}").toString());
    System.err.printf("ippool naming %d pools: %d bytes%n", i, size(a));
    refusedNamingIt("many-pools", a, IpamAnnotations.POD_IPPOOL, "missing-0");
  }

  @Test
  void anIppoolsOfThousandsOfNicsIsRefusedBeforeAnyAllocation() {
    StringBuilder v = new StringBuilder("[");
    int i = 0;
    String item = "{\"ipv4\":[\"" + POOL + "\"]}";
    while (v.length() + item.length() + IpamAnnotations.POD_IPPOOLS.length() < CAP - 2) {
      v.append(i++ == 0 ? "" : ",").append(item);
    }
    Map<String, String> a = Map.of(IpamAnnotations.POD_IPPOOLS, v.append(']').toString());
    System.err.printf("ippools of %d NICs: %d bytes%n", i, size(a));
    refusedNamingIt(
        "many-nics",
        a,
        IpamAnnotations.POD_IPPOOLS,
        "value lists " + i + " NICs; at most " + IpamAnnotations.MAX_NICS + " are allowed");
  }

  @Test
  void aMultusNetworksAnnotationOfGarbageAtTheCapIsRefusedNamingIt() {
    Map<String, String> a =
        Map.of(
            IpamAnnotations.POD_IPPOOL,
            "{\"ipv4\":[\"" + POOL + "\"]}",
            MultusAnnotations.NETWORKS,
            "[" + "x".repeat(CAP - 200));
    refusedNamingIt("multus-garbage", a, MultusAnnotations.NETWORKS, "JSON");
  }

  /**
   * A long but well-formed Multus list only orders the NICs: read in one pass, the ADD goes on and
   * takes its address from the {@code ippool} pool.
   */
  @Test
  void aLongValidMultusListDoesNotStopTheAdd() {
    StringBuilder nets = new StringBuilder();
    int i = 0;
    while (nets.length() < CAP - 200) {
      nets.append(i == 0 ? "" : ",").append("net-").append(i++);
    }
    Pod p =
        pod(
            "multus-long",
            Map.of(
                IpamAnnotations.POD_IPPOOL,
                "{\"ipv4\":[\"" + POOL + "\"]}",
                MultusAnnotations.NETWORKS,
                nets.toString()));
    long t0 = System.nanoTime();
    AddResult r = ipam.engine().allocate(add(p));
    System.err.printf(
        "Multus list of %d networks: ADD answered in %d ms%n",
        i, (System.nanoTime() - t0) / 1_000_000);
    assertThat(r.ips()).hasSize(1);
    assertThat(records().asMap()).hasSize(1);
    admin.pods().resource(p).withGracePeriod(0).delete();
    await("Pod multus-long gone")
        .atMost(CLUSTER)
        .pollInterval(POLL)
        .until(() -> admin.pods().inNamespace(NS).withName("multus-long").get() == null);
    ipam.engine()
        .release(
            new ReleaseRequest(
                "cid-multus-long",
                "eth0",
                "/var/run/netns/x",
                NS,
                p.getMetadata().getName(),
                p.getMetadata().getUid(),
                false));
    assertThat(records().asMap()).as("records after DEL").isEmpty();
  }

  private static void refusedNamingIt(
      String name, Map<String, String> annotations, String key, String detail) {
    Pod p = pod(name, annotations);
    PoolRecords before = records();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> ipam.engine().allocate(add(p)))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              String m = e.getMessage();
              System.err.printf(
                  "%s (%d bytes): refused in %d ms: %s%n",
                  name,
                  size(annotations),
                  (System.nanoTime() - t0) / 1_000_000,
                  m.length() > 300 ? m.substring(0, 300) + "..." : m);
              assertThat(m).contains(key).contains(detail);
              assertThat(m.length()).as("the message quotes no huge value").isLessThan(2_000);
            });
    assertThat(records()).as("pool records after the refused ADD").isEqualTo(before);
    assertThat(
            admin
                .resources(SpiderEndpoint.class)
                .inNamespace(NS)
                .withName(p.getMetadata().getName())
                .get())
        .as("SpiderEndpoint of " + name)
        .isNull();
  }

  private static PoolRecords records() {
    SpiderIPPool p = admin.resources(SpiderIPPool.class).withName(POOL).get();
    return PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs());
  }
}
