// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import static io.spiderpool.service.ipam.EngineHarness.NS;
import static io.spiderpool.service.ipam.EngineHarness.add;
import static io.spiderpool.service.ipam.EngineHarness.batchDel;
import static io.spiderpool.service.ipam.EngineHarness.del;
import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.alloc.PoolRecord;
import io.spiderpool.core.error.ReleaseForbiddenException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A DEL frees only what the Pod UID it carries owns (docs/architecture.md, invariant 2). The
 * runtime's late DEL of a Pod's old container, arriving after the Pod was force-deleted and
 * re-created under the same name, must leave the new incarnation's addresses and endpoint alone —
 * on the single-interface path, the batch path ({@code DELETE /v1/ipam/ips}), for StatefulSet
 * members, and when the new incarnation's ADD runs on another node at the same time.
 */
class StaleReleaseTest {
  private EngineHarness h;
  private IpamEngine n1;
  private IpamEngine n2;

  @BeforeEach
  void pool() {
    h = new EngineHarness();
    h.pool("p", "10.166.0.0/24", "10.166.0.10-10.166.0.20", "10.166.0.1");
    n1 = h.engine("n1");
    n2 = h.engine("n2");
  }

  /** Pod x: ADD as uid1, force-deleted, re-created as uid2, ADD again; returns uid2's address. */
  private String recreated(IpamEngine second, List<PodDirectory.OwnerRef> owners) {
    h.runningPod("x", "uid1", "n1", "p", owners);
    String first = address(n1.allocate(add("old", "x", "uid1")));
    h.pods.remove(NS, "x");
    h.runningPod("x", "uid2", "n1", "p", owners);
    String second2 = address(second.allocate(add("new", "x", "uid2")));
    assertThat(first).isNotNull();
    return second2;
  }

  private static String address(AddResult r) {
    return r.ips().get(0).address().split("/")[0];
  }

  private void assertOwnedByUid2(String ip) {
    PoolRecord rec = h.records("p").asMap().get(ip);
    assertThat(rec).as("pool record of %s", ip).isNotNull();
    assertThat(rec.podUid()).isEqualTo("uid2");
    EndpointRecord ep = h.endpoints.peek(NS, "x");
    assertThat(ep).as("SpiderEndpoint x").isNotNull();
    assertThat(ep.uid()).isEqualTo("uid2");
    assertThat(ep.nics().get(0).ipv4()).startsWith(ip + "/");
  }

  @Test
  void aLateDelOfTheOldContainerKeepsTheRecreatedPodsAddress() {
    String ip = recreated(n1, List.of());
    n1.release(del("old", "x", "uid1"));
    assertOwnedByUid2(ip);
    h.runningPod("y", "uid-y", "n1", "p", List.of());
    assertThat(address(n1.allocate(add("y", "y", "uid-y"))))
        .as("the next Pod gets another address")
        .isNotEqualTo(ip);
  }

  @Test
  void aLateDelOnTheOldNodeKeepsTheAddressTakenOnTheNewNode() {
    String ip = recreated(n2, List.of());
    n1.release(del("old", "x", "uid1"));
    assertOwnedByUid2(ip);
  }

  @Test
  void aDelWithoutUidKeepsALivePodsAddresses() {
    String ip = recreated(n1, List.of());
    n1.release(del("old", "x", ""));
    assertOwnedByUid2(ip);
  }

  @Test
  void aDelWithoutUidReleasesATerminatingPod() {
    h.runningPod("x", "uid1", "n1", "p", List.of());
    n1.allocate(add("c", "x", "uid1"));
    h.pods.terminate(NS, "x");
    n1.release(del("c", "x", ""));
    assertThat(h.records("p").size()).isZero();
    assertThat(h.endpoints.peek(NS, "x")).isNull();
  }

  @Test
  void theCurrentIncarnationsOwnDelStillReleasesOnceThePodIsGone() {
    String ip = recreated(n1, List.of());
    n1.release(del("new", "x", "uid2"));
    assertOwnedByUid2(ip); // alive: a DEL for a sandbox being re-created keeps the addresses
    h.pods.remove(NS, "x");
    n1.release(del("new", "x", "uid2"));
    assertThat(h.records("p").size()).isZero();
    assertThat(h.endpoints.peek(NS, "x")).isNull();
  }

  @Test
  void aLateBatchDelOfTheOldContainerKeepsTheRecreatedPodsAddress() {
    String ip = recreated(n1, List.of());
    n1.release(batchDel("old", "x", "uid1", false));
    assertOwnedByUid2(ip);
    n1.release(batchDel("old", "x", "uid1", true));
    assertOwnedByUid2(ip);
  }

  @Test
  void aBatchDelOfConflictingIpsReleasesTheCallersOwnIncarnation() {
    h.runningPod("x", "uid1", "n1", "p", List.of());
    n1.allocate(add("c", "x", "uid1"));
    n1.release(batchDel("c", "x", "uid1", true));
    assertThat(h.records("p").size())
        .as("isReleaseConflictIPs frees a live Pod's own addresses")
        .isZero();
  }

  @Test
  void aLateDelOfAStatefulSetMembersOldIncarnationKeepsTheNewOne() {
    h.pods.statefulSet(NS, "web", 1);
    List<PodDirectory.OwnerRef> owner = List.of(InMemoryPodDirectory.statefulSetOwner("web"));
    h.runningPod("web-0", "uid1", "n1", "p", owner);
    String ip = address(n1.allocate(add("old", "web-0", "uid1")));
    h.pods.remove(NS, "web-0");
    h.runningPod("web-0", "uid2", "n2", "p", owner);
    assertThat(address(n2.allocate(add("new", "web-0", "uid2"))))
        .as("same address back")
        .isEqualTo(ip);
    // scaled down to 0 while the new incarnation still runs: not a member any more, but alive
    h.pods.statefulSet(NS, "web", 0);
    n1.release(del("old", "web-0", "uid1"));
    n1.release(batchDel("old", "web-0", "uid1", false));
    assertThat(h.records("p").asMap().get(ip).podUid()).isEqualTo("uid2");
    assertThat(h.endpoints.peek(NS, "web-0").uid()).isEqualTo("uid2");
  }

  @Test
  void aStatefulSetMembersBatchDelOfConflictingIpsIsRefused() {
    h.pods.statefulSet(NS, "web", 1);
    h.runningPod("web-0", "uid1", "n1", "p", List.of(InMemoryPodDirectory.statefulSetOwner("web")));
    n1.allocate(add("c", "web-0", "uid1"));
    try {
      n1.release(batchDel("c", "web-0", "uid1", true));
      throw new AssertionError("a StatefulSet Pod's conflicting IPs must not be released");
    } catch (ReleaseForbiddenException e) {
      assertThat(e.code()).isEqualTo(522);
    }
    assertThat(h.records("p").size()).isEqualTo(1);
  }

  /**
   * The old incarnation's DEL runs on n1 while the Pod is gone; between its release of the records
   * and its removal of the endpoint, the re-created Pod's ADD runs on n2 to the end. The DEL must
   * then remove nothing of the new incarnation.
   */
  @Test
  void aDelRacingTheNewIncarnationsAddOnAnotherNodeRemovesNothingOfIt() {
    h.runningPod("x", "uid1", "n1", "p", List.of());
    n1.allocate(add("old", "x", "uid1"));
    h.pods.remove(NS, "x");
    AtomicBoolean once = new AtomicBoolean();
    String[] newIp = new String[1];
    h.endpoints.beforeWrite =
        what -> {
          if (what.equals("delete " + NS + "/x") && once.compareAndSet(false, true)) {
            h.runningPod("x", "uid2", "n2", "p", List.of());
            newIp[0] = address(n2.allocate(add("new", "x", "uid2")));
          }
        };
    n1.release(del("old", "x", "uid1"));
    h.endpoints.beforeWrite = null;
    assertThat(once).as("the interleaving happened").isTrue();
    assertOwnedByUid2(newIp[0]);
    assertThat(h.records("p").size()).isEqualTo(1);
  }

  @Test
  void aDelForAPodNeverSeenSucceedsAndChangesNothing() {
    h.runningPod("x", "uid1", "n1", "p", List.of());
    n1.allocate(add("c", "x", "uid1"));
    int writes = h.endpoints.writes.get();
    n1.release(del("c", "ghost", "uid-ghost"));
    n1.release(del("c", "ghost", ""));
    assertThat(h.records("p").size()).isEqualTo(1);
    assertThat(h.endpoints.writes.get()).isEqualTo(writes);
    assertThat(Map.copyOf(h.records("p").asMap()).values())
        .extracting(PoolRecord::podUid)
        .containsExactly("uid1");
  }
}
