// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.alloc.PoolState;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.service.ipam.PoolStore;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pool write form on the real API server: a JSON merge patch of the status subresource that
 * carries {@code metadata.resourceVersion} is a compare-and-set — applied at that version, refused
 * with 409 at any other, the pool left as the winner wrote it — and the status it leaves is
 * Spiderpool's (allocatedIPs as one JSON string, the counts), the spec untouched.
 */
@ExtendWith(ControlPlaneExtension.class)
class PoolStatusPatchIT {
  private static KubernetesClient client;

  @BeforeAll
  static void start(LocalControlPlane cp) {
    client = cp.client();
  }

  private static SpiderIPPool create(String name, String subnet, String ips) {
    return client.resource(ClusterFixtures.poolOf(name, 4, subnet, List.of(ips), null)).create();
  }

  private static PoolRecords allocate(PoolStore.Snapshot snap, String... uids) {
    PoolState state =
        new PoolState(
            snap.name(),
            snap.space(),
            snap.records(),
            RangeSet.empty(snap.space().subnet().family()),
            1000);
    for (String uid : uids) {
      state = state.allocate("ns/" + uid, uid, Set.of()).next();
    }
    return state.records();
  }

  @Test
  void aPatchAtTheReadVersionLandsAndAStaleOneGets409() {
    SpiderIPPool created = create("patch-cas", "10.78.0.0/24", "10.78.0.1-10.78.0.10");
    PoolStatusPatch patch = new PoolStatusPatch(client);
    String v0 = created.getMetadata().getResourceVersion();

    String v1 =
        patch.send(
            "patch-cas",
            PoolStatusPatch.body(
                v0, "{\"10.78.0.1\":{\"pod\":\"ns/a\",\"podUid\":\"uid-a\"}}", 1, 10L));
    assertThat(v1).isNotEqualTo(v0);

    // a second writer that read v0 too: its patch must not land on v1
    assertThatThrownBy(
            () ->
                patch.send(
                    "patch-cas",
                    PoolStatusPatch.body(
                        v0, "{\"10.78.0.2\":{\"pod\":\"ns/b\",\"podUid\":\"uid-b\"}}", 1, 10L)))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

    SpiderIPPool now = client.resources(SpiderIPPool.class).withName("patch-cas").get();
    assertThat(now.getMetadata().getResourceVersion()).isEqualTo(v1);
    assertThat(now.getStatus().getAllocatedIPs())
        .isEqualTo("{\"10.78.0.1\":{\"pod\":\"ns/a\",\"podUid\":\"uid-a\"}}");
    assertThat(now.getStatus().getAllocatedIPCount()).isEqualTo(1L);
    assertThat(now.getStatus().getTotalIPCount()).isEqualTo(10L);
    assertThat(now.getSpec().getIps()).containsExactly("10.78.0.1-10.78.0.10");
  }

  /**
   * The answer to a pool write is the pool's metadata, not the pool again: a daemon writing a pool
   * of a thousand records used to receive all of them back with every write.
   */
  @Test
  void theAnswerToAPatchIsThePoolsMetadataOnly() {
    SpiderIPPool created = create("patch-answer", "10.77.0.0/24", "10.77.0.1-10.77.0.200");
    StringBuilder records = new StringBuilder("{");
    for (int i = 1; i <= 200; i++) {
      records
          .append(i == 1 ? "" : ",")
          .append("\"10.77.0.")
          .append(i)
          .append("\":{\"pod\":\"ns/p")
          .append(i)
          .append("\",\"podUid\":\"uid-")
          .append(i)
          .append("\"}");
    }
    String allocated = records.append('}').toString();
    PoolStatusPatch patch = new PoolStatusPatch(client);
    byte[] answer =
        patch.answer(
            "patch-answer",
            PoolStatusPatch.body(created.getMetadata().getResourceVersion(), allocated, 200, 200L));
    String json = new String(answer, StandardCharsets.UTF_8);
    assertThat(json).contains("\"kind\":\"PartialObjectMetadata\"").doesNotContain("ns/p200");
    assertThat(answer.length).as("answer bytes").isLessThan(allocated.length() / 4);
    SpiderIPPool now = client.resources(SpiderIPPool.class).withName("patch-answer").get();
    assertThat(PoolStatusPatch.resourceVersion(answer))
        .isEqualTo(now.getMetadata().getResourceVersion());
    assertThat(now.getStatus().getAllocatedIPs()).isEqualTo(allocated);
  }

  @Test
  void theStoreWritesOnTheVersionItReadAndReportsALostRaceAsAConflict() {
    create("patch-store", "10.79.0.0/24", "10.79.0.1-10.79.0.20");
    KubernetesPoolStore store = new KubernetesPoolStore(client);
    PoolStore.Snapshot first = store.read("patch-store");
    PoolStore.Snapshot second = store.read("patch-store"); // another node, same version

    String v1 = store.writeRecords("patch-store", first.resourceVersion(), allocate(first, "u1"));
    assertThatThrownBy(
            () ->
                store.writeRecords("patch-store", second.resourceVersion(), allocate(second, "u2")))
        .isInstanceOf(PoolStore.Conflict.class);

    PoolStore.Snapshot after = store.read("patch-store");
    assertThat(after.resourceVersion()).isEqualTo(v1);
    assertThat(after.records().asMap().values()).extracting(r -> r.podUid()).containsExactly("u1");
    SpiderIPPool stored = client.resources(SpiderIPPool.class).withName("patch-store").get();
    assertThat(stored.getStatus().getAllocatedIPCount()).isEqualTo(1L);
    assertThat(stored.getStatus().getTotalIPCount()).isEqualTo(20L);

    // the loser retries on the winner's version and lands; both records are kept
    String v2 = store.writeRecords("patch-store", v1, allocate(after, "u2"));
    PoolStore.Snapshot last = store.read("patch-store");
    assertThat(last.resourceVersion()).isEqualTo(v2);
    assertThat(last.records().asMap().values())
        .extracting(r -> r.podUid())
        .containsExactlyInAnyOrder("u1", "u2");

    // releasing every record removes allocatedIPs, as Spiderpool leaves an empty pool
    store.writeRecords("patch-store", v2, PoolRecords.parse(null));
    SpiderIPPool empty = client.resources(SpiderIPPool.class).withName("patch-store").get();
    assertThat(empty.getStatus().getAllocatedIPs()).isNull();
    assertThat(empty.getStatus().getAllocatedIPCount()).isZero();
  }

  @Test
  void aWriteToAMissingPoolSaysSo() {
    KubernetesPoolStore store = new KubernetesPoolStore(client);
    assertThatThrownBy(() -> store.writeRecords("patch-missing", "1", PoolRecords.parse(null)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("patch-missing");
  }
}
