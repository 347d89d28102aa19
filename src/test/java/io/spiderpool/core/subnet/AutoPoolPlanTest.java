// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.net.IpRange;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.testing.PropertyCheck;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resize arithmetic as a table, every row run in both families: host numbers are written once
 * ("10-12") and become 10.0.0.10-10.0.0.12 or fd00::a-fd00::c. Then a property: any sequence of
 * resizes, allocations, releases and writes cut short (the role holder gone between two writes)
 * keeps every pool inside its own carve, no address in two carves, and one uninterrupted pass
 * settles the pool on exactly the carve.
 */
class AutoPoolPlanTest {
  private static final String P = "auto-p";
  private static final String APP = "apps_v1_Deployment_ns_web";

  /** Host numbers of one family: "10-12,20" → a range set. */
  static RangeSet set(IpFamily f, String hosts) {
    List<IpRange> out = new ArrayList<>();
    if (!hosts.isBlank()) {
      for (String part : hosts.split(",")) {
        String[] ends = part.trim().split("-");
        out.add(new IpRange(host(f, ends[0]), host(f, ends[ends.length - 1])));
      }
    }
    return RangeSet.of(f, out);
  }

  static IpAddress host(IpFamily f, String n) {
    BigInteger v = new BigInteger(n.trim());
    return f == IpFamily.V4
        ? IpAddress.parse("10.0.0.0").plus(v)
        : IpAddress.parse("fd00::").plus(v);
  }

  /** A controlledIPPools with {@code q} (another pool) and maybe an entry for P. */
  static ControlledPools controlled(IpFamily f, String q, String mine, String myReleasing) {
    ControlledPools c = ControlledPools.empty();
    if (!q.isBlank()) {
      c = c.with("q", ControlledPools.Entry.of(set(f, q), "apps_v1_Deployment_ns_other"));
    }
    if (mine != null) {
      c =
          c.with(
              P,
              new ControlledPools.Entry(
                  set(f, mine).toStrings(), APP, set(f, myReleasing).toStrings()));
    }
    return c;
  }

  record Row(
      String name,
      String subnet,
      String reserved,
      String q,
      String mine,
      String myReleasing,
      String pool,
      String allocated,
      int desired,
      String target,
      String releasing,
      int stuck) {}

  static Stream<Arguments> table() {
    List<Row> rows =
        List.of(
            new Row(
                "create takes the lowest free",
                "10-19",
                "",
                "",
                null,
                "",
                "",
                "",
                3,
                "10-12",
                "",
                0),
            new Row(
                "create skips another pool's carve",
                "10-19",
                "",
                "10-11",
                null,
                "",
                "",
                "",
                3,
                "12-14",
                "",
                0),
            new Row(
                "create skips reserved addresses",
                "10-19",
                "10,12",
                "",
                null,
                "",
                "",
                "",
                3,
                "11,13-14",
                "",
                0),
            new Row(
                "grow adds the lowest free",
                "10-19",
                "",
                "13-14",
                "10-12",
                "",
                "10-12",
                "11",
                5,
                "10-12,15-16",
                "",
                0),
            new Row(
                "shrink keeps allocated, gives back the highest free",
                "10-19",
                "",
                "",
                "10-19",
                "",
                "10-19",
                "11,17",
                4,
                "10-12,17",
                "13-16,18-19",
                0),
            new Row(
                "shrink below the allocated stops there",
                "10-19",
                "",
                "",
                "10-14",
                "",
                "10-14",
                "10-14",
                2,
                "10-14",
                "",
                3),
            new Row(
                "scale to zero with nothing allocated",
                "10-19",
                "",
                "",
                "10-12",
                "",
                "10-12",
                "",
                0,
                "",
                "10-12",
                0),
            new Row(
                "interrupted grow: the carve is reused",
                "10-19",
                "",
                "15",
                "10-14",
                "",
                "10-12",
                "",
                5,
                "10-14",
                "",
                0),
            new Row(
                "interrupted grow, then asked smaller",
                "10-19",
                "",
                "",
                "10-14",
                "",
                "10-12",
                "",
                4,
                "10-13",
                "14",
                0),
            new Row(
                "interrupted shrink: same target, releasing kept",
                "10-19",
                "",
                "",
                "10-11",
                "12-14",
                "10-14",
                "",
                2,
                "10-11",
                "12-14",
                0),
            new Row(
                "interrupted shrink, then asked bigger",
                "10-19",
                "",
                "",
                "10-11",
                "12-14",
                "10-14",
                "13",
                4,
                "10-11,12-13",
                "14",
                0),
            new Row(
                "a Spiderpool-made pool at its size is left as it is",
                "10-19",
                "",
                "13-19",
                "10-12",
                "",
                "10-12",
                "10",
                3,
                "10-12",
                "",
                0),
            new Row(
                "Spiderpool's interrupted shrink (subnet first) is finished",
                "10-19",
                "",
                "",
                "10-11",
                "",
                "10-13",
                "",
                2,
                "10-11",
                "12-13",
                0),
            new Row(
                "... and what another pool got meanwhile is not claimed",
                "10-19",
                "",
                "12-13",
                "10-11",
                "",
                "10-13",
                "",
                2,
                "10-11",
                "",
                0),
            new Row(
                "a pool without a subnet record is adopted as it is",
                "10-19",
                "",
                "",
                null,
                "",
                "10-12",
                "12",
                3,
                "10-12",
                "",
                0),
            new Row(
                "pool addresses the subnet no longer holds are dropped unless allocated",
                "10-12",
                "",
                "",
                "10-14",
                "",
                "10-14",
                "14",
                3,
                "10-11,14",
                "12-13",
                0));
    List<Arguments> out = new ArrayList<>();
    for (Row r : rows) {
      for (IpFamily f : IpFamily.values()) {
        out.add(Arguments.of(r.name() + " (" + f + ")", f, r));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void plans(String name, IpFamily f, Row r) {
    ControlledPools before = controlled(f, r.q(), r.mine(), r.myReleasing());
    AutoPoolPlan plan =
        AutoPoolPlan.of(
            new AutoPoolPlan.Input(
                P,
                APP,
                f,
                set(f, r.subnet()),
                set(f, r.reserved()),
                before,
                set(f, r.pool()),
                set(f, r.allocated()),
                r.desired()));
    assertThat(plan.shortage()).isEmpty();
    assertThat(plan.target()).isEqualTo(set(f, r.target()));
    assertThat(plan.stuck()).isEqualTo(r.stuck());
    ControlledPools.Entry carved = plan.carve().get(P).orElseThrow();
    assertThat(carved.ips(f)).isEqualTo(set(f, r.target()));
    assertThat(carved.releasing(f)).as("releasing").isEqualTo(set(f, r.releasing()));
    assertThat(carved.application()).isEqualTo(APP);
    assertThat(plan.settled().get(P).orElseThrow().releasing()).isEmpty();
    assertThat(plan.settled().without(P)).as("other pools untouched").isEqualTo(before.without(P));
    assertThat(plan.releases()).isEqualTo(!r.releasing().isEmpty());
  }

  @Test
  void aSpiderpoolMadePoolAtItsSizeNeedsNoWriteAtAll() {
    for (IpFamily f : IpFamily.values()) {
      ControlledPools before = controlled(f, "13-19", "10-12", "");
      AutoPoolPlan plan =
          AutoPoolPlan.of(
              new AutoPoolPlan.Input(
                  P,
                  APP,
                  f,
                  set(f, "10-19"),
                  set(f, ""),
                  before,
                  set(f, "10-12"),
                  set(f, "10"),
                  3));
      assertThat(plan.carves(before)).isFalse();
      assertThat(plan.target()).isEqualTo(set(f, "10-12"));
      assertThat(plan.releases()).isFalse();
    }
  }

  @Test
  void aShortSubnetPlansNothingAndSaysHowManyAreMissing() {
    for (IpFamily f : IpFamily.values()) {
      ControlledPools before = controlled(f, "10-12", null, "");
      AutoPoolPlan plan =
          AutoPoolPlan.of(
              new AutoPoolPlan.Input(
                  P, APP, f, set(f, "10-14"), set(f, "14"), before, set(f, ""), set(f, ""), 3));
      assertThat(plan.shortage()).contains(new AutoPoolPlan.Shortage(3, 1, 1));
      assertThat(plan.shortage().orElseThrow().lacking()).isEqualTo(2);
      assertThat(plan.carves(before)).as("no partial carve").isFalse();
      assertThat(plan.target().isEmpty()).isTrue();
    }
  }

  @Test
  void anAllocatedAddressCarvedForAnotherPoolNeedsAPerson() {
    for (IpFamily f : IpFamily.values()) {
      assertThatThrownBy(
              () ->
                  AutoPoolPlan.of(
                      new AutoPoolPlan.Input(
                          P,
                          APP,
                          f,
                          set(f, "10-19"),
                          set(f, ""),
                          controlled(f, "12", "10-11", ""),
                          set(f, "10-12"),
                          set(f, "12"),
                          3)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("IPPool auto-p has allocated " + host(f, "12"))
          .hasMessageContaining("which controlledIPPools records for another pool");
    }
  }

  @Test
  void anIpv6SubnetOfAnySizeIsCarvedRangeByRange() {
    IpFamily f = IpFamily.V6;
    RangeSet slash64 =
        RangeSet.of(
            f,
            List.of(
                new IpRange(
                    IpAddress.parse("fd00::"), IpAddress.parse("fd00::ffff:ffff:ffff:ffff"))));
    AutoPoolPlan plan =
        AutoPoolPlan.of(
            new AutoPoolPlan.Input(
                P,
                APP,
                f,
                slash64,
                RangeSet.empty(f),
                ControlledPools.empty(),
                RangeSet.empty(f),
                RangeSet.empty(f),
                100_000));
    assertThat(plan.target().toStrings()).containsExactly("fd00::-fd00::1:869f");
  }

  /** Two pools resized at random, writes cut short at random, agents allocating and releasing. */
  @Test
  void interruptedResizesNeverShareAnAddressAndAlwaysSettle() {
    PropertyCheck.forAll(
        rnd -> {
          IpFamily f = rnd.nextBoolean() ? IpFamily.V4 : IpFamily.V6;
          Model m = new Model(f, set(f, "1-40"));
          for (int step = 0; step < 40; step++) {
            String pool = rnd.nextBoolean() ? "p" : "q";
            switch (rnd.nextInt(4)) {
              case 0, 1 -> m.resize(pool, rnd.nextInt(25), rnd.nextInt(4));
              case 2 -> m.allocate(pool);
              default -> m.release(pool, rnd);
            }
            m.checkSafe();
          }
          for (String pool : List.of("p", "q")) {
            int desired = rnd.nextInt(15);
            AutoPoolPlan last = m.resize(pool, desired, 3);
            if (last.shortage().isPresent()) {
              assertThat(last.shortage().get().lacking()).isPositive();
              m.checkSafe();
            } else {
              m.checkSettled(pool, desired);
            }
          }
        });
  }

  /** Subnet status and two pools; a resize applies up to {@code writes} of its three writes. */
  static final class Model {
    final IpFamily f;
    final RangeSet subnet;
    ControlledPools controlled = ControlledPools.empty();
    final Map<String, RangeSet> ips = new HashMap<>();
    final Map<String, RangeSet> allocated = new HashMap<>();

    Model(IpFamily f, RangeSet subnet) {
      this.f = f;
      this.subnet = subnet;
      for (String p : List.of("p", "q")) {
        ips.put(p, RangeSet.empty(f));
        allocated.put(p, RangeSet.empty(f));
      }
    }

    AutoPoolPlan resize(String pool, int desired, int writes) {
      AutoPoolPlan plan =
          AutoPoolPlan.of(
              new AutoPoolPlan.Input(
                  pool,
                  "app-" + pool,
                  f,
                  subnet,
                  RangeSet.empty(f),
                  controlled,
                  ips.get(pool),
                  allocated.get(pool),
                  desired));
      if (plan.shortage().isPresent()) {
        return plan;
      }
      if (writes >= 1) {
        controlled = plan.carve();
      }
      if (writes >= 2) {
        ips.put(pool, plan.target());
      }
      if (writes >= 3) {
        controlled = plan.settled();
      }
      return plan;
    }

    void allocate(String pool) {
      plan(pool)
          .ifPresent(
              ip ->
                  allocated.put(
                      pool, allocated.get(pool).union(RangeSet.ofAddresses(f, List.of(ip)))));
    }

    private Optional<IpAddress> plan(String pool) {
      return ips.get(pool).lowestNotIn(allocated.get(pool));
    }

    void release(String pool, Random rnd) {
      List<IpRange> held = allocated.get(pool).ranges();
      if (!held.isEmpty()) {
        IpAddress ip = held.get(rnd.nextInt(held.size())).start();
        allocated.put(pool, allocated.get(pool).minus(RangeSet.ofAddresses(f, List.of(ip))));
      }
    }

    void checkSafe() {
      for (String p : List.of("p", "q")) {
        RangeSet carve = controlled.get(p).map(e -> e.carved(f)).orElse(RangeSet.empty(f));
        assertThat(carve.containsAll(ips.get(p)))
            .as("pool %s %s inside its carve %s", p, ips.get(p), carve)
            .isTrue();
        assertThat(ips.get(p).containsAll(allocated.get(p))).isTrue();
      }
      RangeSet p = controlled.get("p").map(e -> e.carved(f)).orElse(RangeSet.empty(f));
      RangeSet q = controlled.get("q").map(e -> e.carved(f)).orElse(RangeSet.empty(f));
      assertThat(p.overlaps(q)).as("carves %s and %s", p, q).isFalse();
    }

    void checkSettled(String pool, int desired) {
      ControlledPools.Entry e = controlled.get(pool).orElseThrow();
      assertThat(e.releasing()).isEmpty();
      assertThat(e.ips(f)).isEqualTo(ips.get(pool));
      long size = ips.get(pool).sizeCapped();
      long held = allocated.get(pool).sizeCapped();
      assertThat(size).isEqualTo(Math.max(desired, held));
    }
  }
}
