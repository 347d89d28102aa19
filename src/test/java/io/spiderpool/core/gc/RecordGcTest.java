// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.gc.Verdict.Action;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Every row and every event case of the decision in docs/gc.md ("The decision"), both sides of each
 * boundary.
 */
class RecordGcTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String UID = "uid-1";
  private static final RecordGc GC = new RecordGc(GcSettings.DEFAULTS);

  /** A Running stateless Pod of the record's UID on a Ready node, with podIPs. */
  private static PodFacts running() {
    return new PodFacts(UID, "Running", null, 0, null, 30, true, true, false, false);
  }

  private static PodFacts with(
      PodFacts p,
      String phase,
      Instant deletion,
      long deletionGrace,
      Instant finished,
      boolean podIps) {
    return new PodFacts(
        p.uid(),
        phase,
        deletion,
        deletionGrace,
        finished,
        p.terminationGraceSeconds(),
        podIps,
        p.nodeReady(),
        p.isStatic(),
        p.staticValid());
  }

  private static PodFacts staticPod(PodFacts p, boolean valid) {
    return new PodFacts(
        p.uid(),
        p.phase(),
        p.deletionTimestamp(),
        p.deletionGraceSeconds(),
        p.finishedAt(),
        p.terminationGraceSeconds(),
        p.hasPodIps(),
        p.nodeReady(),
        true,
        valid);
  }

  private static PodFacts onNode(PodFacts p, boolean ready) {
    return new PodFacts(
        p.uid(),
        p.phase(),
        p.deletionTimestamp(),
        p.deletionGraceSeconds(),
        p.finishedAt(),
        p.terminationGraceSeconds(),
        p.hasPodIps(),
        ready,
        p.isStatic(),
        p.staticValid());
  }

  private static PodFacts otherUid(PodFacts p) {
    return new PodFacts(
        "uid-2",
        p.phase(),
        p.deletionTimestamp(),
        p.deletionGraceSeconds(),
        p.finishedAt(),
        p.terminationGraceSeconds(),
        p.hasPodIps(),
        p.nodeReady(),
        p.isStatic(),
        p.staticValid());
  }

  private static final EndpointFacts STATELESS_EP = new EndpointFacts(UID, false, false);

  private static Verdict decide(PodFacts pod, EndpointFacts ep) {
    return GC.decide(UID, pod, ep, NOW);
  }

  private static Verdict decide(GcSettings s, PodFacts pod) {
    return new RecordGc(s).decide(UID, pod, STATELESS_EP, NOW);
  }

  private static GcSettings switches(
      boolean ready, boolean notReady, boolean running, Duration delay) {
    return new GcSettings(true, ready, notReady, running, delay, Duration.ofSeconds(600), 3, 5);
  }

  // --- Pod absent (event: Pod deleted, including while its node's daemon is down)

  @Test
  void podAndEndpointAbsentReleases() {
    Verdict v = decide((PodFacts) null, null);
    assertThat(v.action()).isEqualTo(Action.RELEASE);
    assertThat(v.deleteEndpoint()).isFalse();
  }

  @Test
  void podAbsentWithValidStatefulSetEndpointKeeps() {
    assertThat(decide(null, new EndpointFacts(UID, true, true)).action()).isEqualTo(Action.KEEP);
  }

  @Test
  void podAbsentWithScaledDownStatefulSetEndpointReleasesAndDeletesIt() {
    Verdict v = decide(null, new EndpointFacts(UID, true, false));
    assertThat(v.action()).isEqualTo(Action.RELEASE);
    assertThat(v.deleteEndpoint()).isTrue();
  }

  @Test
  void podAbsentWithStatelessEndpointReleasesAndDeletesIt() {
    Verdict v = decide(null, STATELESS_EP);
    assertThat(v.released()).isTrue();
    assertThat(v.deleteEndpoint()).isTrue();
  }

  // --- Pending

  @Test
  void pendingPodKeepsEvenWhenTerminatingLongAgo() {
    assertThat(decide(with(running(), "Pending", null, 0, null, false), STATELESS_EP).action())
        .isEqualTo(Action.KEEP);
    assertThat(
            decide(with(running(), "Pending", NOW.minusSeconds(3600), 0, null, false), STATELESS_EP)
                .action())
        .isEqualTo(Action.KEEP);
  }

  // --- Succeeded / Failed, static

  @Test
  void finishedStatefulSetPodKeepsWhileValidAndReleasesWhenScaledDown() {
    PodFacts done = with(running(), "Succeeded", null, 0, NOW.minusSeconds(3600), true);
    assertThat(decide(staticPod(done, true), STATELESS_EP).action()).isEqualTo(Action.KEEP);
    Verdict v = decide(staticPod(done, false), new EndpointFacts(UID, true, false));
    assertThat(v.released()).isTrue();
    assertThat(v.deleteEndpoint()).isTrue();
  }

  // --- Succeeded / Failed, stateless, no deletion timestamp (events: Succeeded, Failed, evicted)

  @Test
  void finishedStatelessPodKeepsUntilFinishPlusGraceThenReleases() {
    for (String phase : new String[] {"Succeeded", "Failed"}) {
      Instant finished = NOW.minusSeconds(29); // grace 30 s: one second left
      Verdict before = decide(with(running(), phase, null, 0, finished, true), STATELESS_EP);
      assertThat(before.action()).as(phase).isEqualTo(Action.KEEP_UNTIL);
      assertThat(before.until()).isEqualTo(finished.plusSeconds(30));
      Verdict at =
          decide(with(running(), phase, null, 0, NOW.minusSeconds(30), true), STATELESS_EP);
      assertThat(at.released()).as(phase + " at the deadline").isTrue();
      assertThat(at.deleteEndpoint()).isTrue();
    }
  }

  @Test
  void evictedPodIsAFailedPodAndIsReleasedAfterItsGrace() {
    PodFacts evicted = with(running(), "Failed", null, 0, NOW.minusSeconds(31), false);
    assertThat(decide(evicted, STATELESS_EP).released()).isTrue();
  }

  @Test
  void finishedPodWithoutAFinishTimeIsReleased() {
    assertThat(decide(with(running(), "Failed", null, 0, null, true), STATELESS_EP).released())
        .isTrue();
  }

  @Test
  void finishedPodFollowsTheNodeStateSwitches() {
    PodFacts done = with(running(), "Succeeded", null, 0, NOW.minusSeconds(3600), true);
    assertThat(decide(switches(false, true, false, Duration.ZERO), done).action())
        .isEqualTo(Action.KEEP);
    assertThat(decide(switches(false, true, false, Duration.ZERO), onNode(done, false)).released())
        .isTrue();
    assertThat(decide(switches(true, false, false, Duration.ZERO), onNode(done, false)).action())
        .isEqualTo(Action.KEEP);
  }

  @Test
  void additionalGraceDelayExtendsEveryDeadline() {
    PodFacts done = with(running(), "Succeeded", null, 0, NOW.minusSeconds(40), true);
    Verdict v = decide(switches(true, true, false, Duration.ofSeconds(15)), done);
    assertThat(v.action()).isEqualTo(Action.KEEP_UNTIL);
    assertThat(v.until()).isEqualTo(NOW.plusSeconds(5));
    PodFacts term = with(running(), "Running", NOW.minusSeconds(40), 30, null, true);
    assertThat(decide(switches(true, true, false, Duration.ofSeconds(15)), term).until())
        .isEqualTo(NOW.plusSeconds(5));
  }

  // --- terminating (event: terminating past deletionTimestamp + grace; Pod on a NotReady node)

  @Test
  void terminatingStatelessPodKeepsUntilDeletionPlusGraceThenReleases() {
    for (String phase : new String[] {"Running", "Unknown", "Succeeded", "Failed"}) {
      Instant deletion = NOW.minusSeconds(10);
      Verdict within =
          decide(with(running(), phase, deletion, 11, NOW.minusSeconds(3600), true), STATELESS_EP);
      assertThat(within.action()).as(phase).isEqualTo(Action.KEEP_UNTIL);
      assertThat(within.until()).isEqualTo(NOW.plusSeconds(1));
      Verdict past = decide(with(running(), phase, deletion, 10, null, true), STATELESS_EP);
      assertThat(past.released()).as(phase + " at deletionTimestamp + grace").isTrue();
      assertThat(past.deleteEndpoint()).isTrue();
    }
  }

  @Test
  void terminatingPastGraceOnReadyNodeFollowsItsSwitch() {
    PodFacts past = with(running(), "Running", NOW.minusSeconds(60), 30, null, true);
    assertThat(decide(switches(true, true, false, Duration.ZERO), past).released()).isTrue();
    assertThat(decide(switches(false, true, false, Duration.ZERO), past).action())
        .isEqualTo(Action.KEEP);
  }

  @Test
  void terminatingPastGraceOnNotReadyNodeFollowsItsSwitch() {
    PodFacts past = onNode(with(running(), "Running", NOW.minusSeconds(60), 30, null, true), false);
    assertThat(decide(switches(true, true, false, Duration.ZERO), past).released()).isTrue();
    assertThat(decide(switches(true, false, false, Duration.ZERO), past).action())
        .isEqualTo(Action.KEEP);
    assertThat(decide(switches(false, true, false, Duration.ZERO), past).released())
        .as("the Ready-node switch does not apply to a NotReady node")
        .isTrue();
  }

  @Test
  void terminatingWithinGraceWithSwitchOffIsKeptWithoutDeadline() {
    PodFacts within = with(running(), "Running", NOW.minusSeconds(1), 30, null, true);
    assertThat(decide(switches(false, true, false, Duration.ZERO), within).action())
        .isEqualTo(Action.KEEP);
  }

  @Test
  void terminatingStatefulSetPodIsKeptWhilePodIpsRemain() {
    PodFacts past =
        staticPod(with(running(), "Running", NOW.minusSeconds(60), 30, null, true), false);
    assertThat(decide(past, STATELESS_EP).action()).isEqualTo(Action.KEEP);
    PodFacts within =
        staticPod(with(running(), "Running", NOW.minusSeconds(1), 30, null, true), true);
    assertThat(decide(within, STATELESS_EP).action()).isEqualTo(Action.KEEP);
  }

  @Test
  void terminatingWithinGraceWithoutPodIpsReleasesStaticIncluded() {
    PodFacts noIps = with(running(), "Running", NOW.minusSeconds(1), 30, null, false);
    assertThat(decide(noIps, STATELESS_EP).released()).isTrue();
    assertThat(decide(staticPod(noIps, true), STATELESS_EP).released()).isTrue();
  }

  // --- Running / Unknown, no deletion timestamp

  @Test
  void livePodWithPodIpsIsNeverReleased() {
    assertThat(decide(running(), STATELESS_EP).action()).isEqualTo(Action.KEEP);
    assertThat(decide(with(running(), "Unknown", null, 0, null, true), STATELESS_EP).action())
        .isEqualTo(Action.KEEP);
    assertThat(decide(onNode(running(), false), STATELESS_EP).action())
        .as("a Running Pod on a NotReady node is not traced")
        .isEqualTo(Action.KEEP);
    assertThat(decide(switches(true, true, true, Duration.ZERO), running()).action())
        .isEqualTo(Action.KEEP);
  }

  @Test
  void runningStatelessPodWithoutPodIpsFollowsItsSwitch() {
    PodFacts noIps = with(running(), "Running", null, 0, null, false);
    assertThat(decide(noIps, STATELESS_EP).action()).isEqualTo(Action.KEEP);
    assertThat(decide(switches(true, true, true, Duration.ZERO), noIps).released()).isTrue();
  }

  @Test
  void unknownStatelessPodWithoutPodIpsReleases() {
    assertThat(decide(with(running(), "Unknown", null, 0, null, false), STATELESS_EP).released())
        .isTrue();
    assertThat(decide(with(running(), null, null, 0, null, false), STATELESS_EP).released())
        .isTrue();
  }

  @Test
  void statefulSetPodWithoutPodIpsKeepsWhileValid() {
    PodFacts noIps = with(running(), "Running", null, 0, null, false);
    assertThat(decide(staticPod(noIps, true), STATELESS_EP).action()).isEqualTo(Action.KEEP);
    assertThat(decide(staticPod(noIps, false), STATELESS_EP).released()).isTrue();
  }

  // --- record UID differs from the live Pod's (event: endpoint UID no longer matching the Pod)

  @Test
  void recordOfAnEarlierStatelessIncarnationIsReleased() {
    PodFacts newer = otherUid(running());
    Verdict staleEp = decide(newer, new EndpointFacts(UID, false, false));
    assertThat(staleEp.released()).isTrue();
    assertThat(staleEp.deleteEndpoint()).as("the endpoint still names the old UID").isTrue();
    Verdict currentEp = decide(newer, new EndpointFacts("uid-2", false, false));
    assertThat(currentEp.released()).isTrue();
    assertThat(currentEp.deleteEndpoint())
        .as("the endpoint already belongs to the new Pod")
        .isFalse();
    assertThat(decide(newer, null).deleteEndpoint()).isFalse();
  }

  @Test
  void recordOfAnEarlierStatefulSetIncarnation() {
    PodFacts withIps = staticPod(otherUid(running()), true);
    assertThat(decide(withIps, new EndpointFacts(UID, true, true)).released())
        .as("the new incarnation already got other addresses")
        .isTrue();
    PodFacts noIps = staticPod(otherUid(with(running(), "Running", null, 0, null, false)), true);
    assertThat(decide(noIps, new EndpointFacts(UID, true, true)).action())
        .as("not yet re-owned by the new incarnation")
        .isEqualTo(Action.KEEP);
    Verdict invalid = decide(staticPod(noIps, false), new EndpointFacts(UID, true, false));
    assertThat(invalid.released()).isTrue();
    assertThat(invalid.deleteEndpoint()).isTrue();
  }

  @Test
  void recordOfAnEarlierIncarnationIsReleasedEvenIfTheNewPodIsPending() {
    PodFacts pending = otherUid(with(running(), "Pending", null, 0, null, false));
    assertThat(decide(pending, new EndpointFacts(UID, false, false)).released()).isTrue();
  }
}
