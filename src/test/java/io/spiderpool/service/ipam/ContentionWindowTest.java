// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContentionWindowTest {

  /** Sleeps nothing, records what it was asked. */
  private static final class Recorder implements ContentionWindow.Sleeper {
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public boolean sleep(long nanos) {
      sleeps.add(nanos);
      return true;
    }
  }

  private static long far() {
    return System.nanoTime() + TimeUnit.HOURS.toNanos(1);
  }

  @Test
  void anUncontendedLaneWritesAtOnce() {
    ContentionWindow w = new ContentionWindow();
    assertThat(w.window()).isZero();
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 100; i++) {
      assertThat(w.draw(r)).isZero();
    }
  }

  @Test
  void lossesWidenTheWindowUpToItsCapAndWinsNarrowItBackToZero() {
    ContentionWindow w = new ContentionWindow();
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      w.lost();
      seen.add(w.window());
    }
    assertThat(seen).containsExactly(1, 3, 7, 15, 31, 63, 63, 63);
    assertThat(ContentionWindow.MAX_WINDOW).isEqualTo(63);
    int wins = 0;
    while (w.window() > 0) {
      int before = w.window();
      w.won(TimeUnit.MILLISECONDS.toNanos(5));
      assertThat(w.window()).isLessThan(before);
      wins++;
    }
    assertThat(wins)
        .as("a quarter off per win: 63 shrinks to 0 in a few dozen wins")
        .isBetween(5, 20);
  }

  @Test
  void theWindowIsKeptAcrossBatchesSoOneWinDoesNotForgetTheContention() {
    ContentionWindow w = new ContentionWindow();
    for (int i = 0; i < 4; i++) {
      w.lost();
    }
    w.won(TimeUnit.MILLISECONDS.toNanos(5));
    assertThat(w.window()).as("15 less a quarter").isEqualTo(11);
  }

  @Test
  void drawsCoverTheWholeWindow() {
    ContentionWindow w = new ContentionWindow();
    w.lost();
    w.lost(); // window 3
    SplittableRandom r = new SplittableRandom(7);
    boolean[] hit = new boolean[4];
    for (int i = 0; i < 1000; i++) {
      int d = w.draw(r);
      assertThat(d).isBetween(0, 3);
      hit[d] = true;
    }
    assertThat(hit).containsOnly(true);
  }

  @Test
  void theSlotFollowsTheWriteRoundTripWithinItsBounds() {
    ContentionWindow w = new ContentionWindow();
    assertThat(w.slotNanos()).isEqualTo(ContentionWindow.FIRST_SLOT_NANOS);
    for (int i = 0; i < 50; i++) {
      w.won(TimeUnit.MILLISECONDS.toNanos(40));
    }
    assertThat(w.slotNanos())
        .isBetween(TimeUnit.MILLISECONDS.toNanos(39), TimeUnit.MILLISECONDS.toNanos(40));
    for (int i = 0; i < 100; i++) {
      w.won(TimeUnit.SECONDS.toNanos(10));
    }
    assertThat(w.slotNanos())
        .isBetween(ContentionWindow.MAX_SLOT_NANOS - 4, ContentionWindow.MAX_SLOT_NANOS);
    for (int i = 0; i < 100; i++) {
      w.won(0);
    }
    assertThat(w.slotNanos())
        .isBetween(ContentionWindow.MIN_SLOT_NANOS, ContentionWindow.MIN_SLOT_NANOS + 4);
  }

  @Test
  void theSlotAddsHowLongTheLanesOwnWriteTookToReachItsCache() {
    ContentionWindow w = new ContentionWindow();
    w.won(TimeUnit.MILLISECONDS.toNanos(5));
    long roundTrip = w.slotNanos();
    long visibleAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3);
    assertThat(
            w.await(
                2,
                () -> System.nanoTime() - visibleAt >= 0 ? "11" : "10",
                "11",
                far(),
                ContentionWindow.THREAD_SLEEP))
        .isTrue();
    assertThat(w.lagNanos())
        .as("a quarter of the ≥ 3 ms the write took to show, the running average's first step")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(3) / 4);
    assertThat(w.slotNanos()).isEqualTo(roundTrip + w.lagNanos());
  }

  @Test
  void aWriteAlreadyInTheCacheWhenTheWaitStartsGivesNoLagSample() {
    ContentionWindow w = new ContentionWindow();
    w.won(TimeUnit.MILLISECONDS.toNanos(5));
    Recorder sleeper = new Recorder();
    assertThat(w.await(2, () -> "11", "11", far(), sleeper)).isTrue();
    assertThat(w.lagNanos()).isZero();
  }

  @Test
  void idleSlotsCountDown() {
    ContentionWindow w = new ContentionWindow();
    Recorder sleeper = new Recorder();
    assertThat(w.await(5, () -> "10", null, far(), sleeper)).isTrue();
    assertThat(sleeper.sleeps).hasSize(5).containsOnly(w.slotNanos());
  }

  @Test
  void aSlotInWhichAnotherNodeWroteDoesNotCount() {
    ContentionWindow w = new ContentionWindow();
    Recorder sleeper = new Recorder();
    // read once before the first slot, then after each: two other nodes' writes arrive
    Iterator<String> versions = List.of("10", "10", "11", "12", "12", "12").iterator();
    assertThat(w.await(3, versions::next, null, far(), sleeper)).isTrue();
    assertThat(sleeper.sleeps).as("3 idle slots and 2 frozen ones").hasSize(5);
  }

  @Test
  void theLanesOwnWriteArrivingLateIsNotAnotherNodesWrite() {
    ContentionWindow w = new ContentionWindow();
    Recorder sleeper = new Recorder();
    Iterator<String> versions = List.of("10", "11", "11").iterator();
    assertThat(w.await(2, versions::next, "11", far(), sleeper)).isTrue();
    assertThat(sleeper.sleeps).hasSize(2);
  }

  @Test
  void neighboursWritingWithoutPauseCannotStarveALane() {
    ContentionWindow w = new ContentionWindow();
    Recorder sleeper = new Recorder();
    long[] v = {0};
    assertThat(w.await(3, () -> String.valueOf(v[0]++), null, far(), sleeper)).isTrue();
    assertThat(sleeper.sleeps).hasSize(ContentionWindow.MAX_FROZEN_SLOTS + 3);
  }

  @Test
  void theWaitEndsAtTheDeadline() {
    ContentionWindow w = new ContentionWindow();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
    long start = System.nanoTime();
    assertThat(w.await(1_000_000, () -> "1", null, deadline, ContentionWindow.THREAD_SLEEP))
        .isTrue();
    long took = System.nanoTime() - start;
    assertThat(took)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(29))
        .isLessThan(TimeUnit.SECONDS.toNanos(20));
  }

  @Test
  void anInterruptEndsTheWait() {
    ContentionWindow w = new ContentionWindow();
    assertThat(w.await(3, () -> "1", null, far(), nanos -> false)).isFalse();
  }
}
