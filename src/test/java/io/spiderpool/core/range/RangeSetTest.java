// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.net.IpRange;
import io.spiderpool.testing.PropertyCheck;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table cases in both families, plus properties that check every operation against a brute-force
 * model (a bit set over a 96-address window). The IPv6 window straddles the 2^64 boundary so
 * carries between the two halves of an address are exercised.
 */
class RangeSetTest {
  private static final int WINDOW = 96;
  private static final IpAddress V4_BASE = IpAddress.parse("10.0.0.200");
  private static final IpAddress V6_BASE = IpAddress.parse("fd00::ffff:ffff:ffff:ffd0");

  static List<String> l(String... s) {
    return Arrays.asList(s);
  }

  static Arguments row(IpFamily f, List<String> in, List<String> normalised, long size) {
    return Arguments.of(f, in, normalised, size);
  }

  static List<Arguments> normalisation() {
    return List.of(
        row(IpFamily.V4, l(), l(), 0),
        row(IpFamily.V4, l("10.0.0.5", "10.0.0.1-10.0.0.4"), l("10.0.0.1-10.0.0.5"), 5),
        row(
            IpFamily.V4,
            l("10.0.0.9", "10.0.0.1-10.0.0.4", "10.0.0.3-10.0.0.6"),
            l("10.0.0.1-10.0.0.6", "10.0.0.9"),
            7),
        row(IpFamily.V4, l("10.0.0.1", "10.0.0.1", "10.0.0.1"), l("10.0.0.1"), 1),
        row(
            IpFamily.V4,
            l("0.0.0.0-255.255.255.255", "10.0.0.1"),
            l("0.0.0.0-255.255.255.255"),
            1L << 32),
        row(IpFamily.V6, l("fd00::5", "fd00::1-fd00::4"), l("fd00::1-fd00::5"), 5),
        row(
            IpFamily.V6,
            l("fd00::9", "fd00::1-fd00::4", "fd00::3-fd00::6"),
            l("fd00::1-fd00::6", "fd00::9"),
            7),
        row(
            IpFamily.V6,
            l("fd00::ffff:ffff:ffff:ffff", "fd00:0:0:1::"),
            l("fd00::ffff:ffff:ffff:ffff-fd00:0:0:1::"),
            2));
  }

  @ParameterizedTest
  @MethodSource("normalisation")
  void mergesSortsAndCounts(IpFamily family, List<String> in, List<String> normalised, long size) {
    RangeSet set = parse(family, in);
    assertThat(set.toStrings()).isEqualTo(normalised);
    assertThat(set.size()).isEqualTo(BigInteger.valueOf(size));
  }

  static List<Arguments> subtraction() {
    return List.of(
        Arguments.of(
            IpFamily.V4,
            l("10.0.0.1-10.0.0.100"),
            l("10.0.0.1", "10.0.0.50-10.0.0.60", "10.0.0.100"),
            l("10.0.0.2-10.0.0.49", "10.0.0.61-10.0.0.99")),
        Arguments.of(IpFamily.V4, l("10.0.0.1-10.0.0.10"), l("10.0.0.0-10.0.0.20"), l()),
        Arguments.of(
            IpFamily.V4,
            l("10.0.0.1-10.0.0.3", "10.0.0.7-10.0.0.9"),
            l("10.0.0.2-10.0.0.8"),
            l("10.0.0.1", "10.0.0.9")),
        Arguments.of(
            IpFamily.V6,
            l("fd00::1-fd00::100"),
            l("fd00::1", "fd00::50-fd00::60", "fd00::100"),
            l("fd00::2-fd00::4f", "fd00::61-fd00::ff")),
        Arguments.of(
            IpFamily.V6,
            l("fd00::-fd00::ffff:ffff:ffff:ffff"),
            l("fd00::"),
            l("fd00::1-fd00::ffff:ffff:ffff:ffff")));
  }

  @ParameterizedTest
  @MethodSource("subtraction")
  void subtractsExcludedRanges(
      IpFamily family, List<String> ips, List<String> exclude, List<String> expected) {
    assertThat(parse(family, ips).minus(parse(family, exclude)).toStrings()).isEqualTo(expected);
  }

  static List<Arguments> lowestFree() {
    return List.of(
        Arguments.of(IpFamily.V4, l("10.0.0.10-10.0.0.20"), l(), "10.0.0.10"),
        Arguments.of(
            IpFamily.V4,
            l("10.0.0.10-10.0.0.20"),
            l("10.0.0.10-10.0.0.12", "10.0.0.14"),
            "10.0.0.13"),
        Arguments.of(
            IpFamily.V4,
            l("10.0.0.10-10.0.0.12", "10.0.0.30"),
            l("10.0.0.10-10.0.0.12"),
            "10.0.0.30"),
        Arguments.of(IpFamily.V4, l("10.0.0.10-10.0.0.12"), l("10.0.0.0-10.0.0.255"), ""),
        Arguments.of(
            IpFamily.V6, l("fd00::10-fd00::20"), l("fd00::10-fd00::12", "fd00::14"), "fd00::13"),
        Arguments.of(
            IpFamily.V6,
            l("fd00::-fd00::ffff:ffff:ffff:ffff"),
            l("fd00::-fd00::ffff:ffff"),
            "fd00::1:0:0"),
        Arguments.of(IpFamily.V6, l("fd00::1"), l("fd00::1"), ""));
  }

  @ParameterizedTest
  @MethodSource("lowestFree")
  void picksTheLowestFreeAddress(
      IpFamily family, List<String> ips, List<String> used, String expected) {
    Optional<IpAddress> got = parse(family, ips).lowestNotIn(parse(family, used));
    assertThat(got.map(IpAddress::toString).orElse("")).isEqualTo(expected);
  }

  // ---- properties against a brute-force model ----

  /** Up to 8 random ranges inside the window, often short so that gaps and adjacency occur. */
  private static List<int[]> ranges(Random rnd) {
    int n = rnd.nextInt(9);
    List<int[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int a = rnd.nextInt(WINDOW);
      int b = rnd.nextBoolean() ? Math.min(WINDOW - 1, a + rnd.nextInt(6)) : rnd.nextInt(WINDOW);
      out.add(new int[] {Math.min(a, b), Math.max(a, b)});
    }
    return out;
  }

  @Test
  void setOperationsAgreeWithTheModel() {
    PropertyCheck.forAll(
        rnd ->
            setOperationsAgreeWithTheModel(
                ranges(rnd), ranges(rnd), rnd.nextBoolean() ? IpFamily.V6 : IpFamily.V4));
  }

  private static void setOperationsAgreeWithTheModel(
      List<int[]> a, List<int[]> b, IpFamily family) {
    RangeSet x = build(family, a);
    RangeSet y = build(family, b);
    BitSet mx = model(a);
    BitSet my = model(b);

    assertThat(x.size()).isEqualTo(BigInteger.valueOf(mx.cardinality()));
    assertThat(x).isEqualTo(fromModel(family, mx));
    assertThat(x.union(y)).isEqualTo(fromModel(family, or(mx, my)));
    assertThat(x.minus(y)).isEqualTo(fromModel(family, andNot(mx, my)));
    assertThat(x.intersect(y)).isEqualTo(fromModel(family, and(mx, my)));
    assertThat(x.overlaps(y)).isEqualTo(mx.intersects(my));
    assertThat(x.containsAll(y)).isEqualTo(andNot(my, mx).isEmpty());
    int lowest = andNot(mx, my).nextSetBit(0);
    assertThat(x.lowestNotIn(y))
        .isEqualTo(lowest < 0 ? Optional.empty() : Optional.of(at(family, lowest)));
    for (int i = 0; i < WINDOW; i++) {
      assertThat(x.contains(at(family, i))).isEqualTo(mx.get(i));
    }
  }

  @Test
  void normalFormIsSortedDisjointAndNonAdjacent() {
    PropertyCheck.forAll(
        rnd -> {
          List<IpRange> r =
              build(rnd.nextBoolean() ? IpFamily.V6 : IpFamily.V4, ranges(rnd)).ranges();
          for (int i = 1; i < r.size(); i++) {
            assertThat(r.get(i - 1).end().next().compareTo(r.get(i).start())).isNegative();
          }
        });
  }

  @Test
  void addressSetsCoalesceLikeRanges() {
    PropertyCheck.forAll(
        rnd -> {
          IpFamily family = rnd.nextBoolean() ? IpFamily.V6 : IpFamily.V4;
          BitSet m = new BitSet();
          List<IpAddress> addresses = new ArrayList<>();
          for (int i = rnd.nextInt(40); i > 0; i--) {
            int p = rnd.nextInt(WINDOW);
            m.set(p);
            addresses.add(at(family, p));
          }
          assertThat(RangeSet.ofAddresses(family, addresses)).isEqualTo(fromModel(family, m));
        });
  }

  private static RangeSet parse(IpFamily family, List<String> in) {
    List<IpRange> r = new ArrayList<>();
    in.forEach(s -> r.add(IpRange.parse(s)));
    return RangeSet.of(family, r);
  }

  private static IpAddress at(IpFamily family, int offset) {
    return (family == IpFamily.V4 ? V4_BASE : V6_BASE).plus(BigInteger.valueOf(offset));
  }

  private static RangeSet build(IpFamily family, List<int[]> pairs) {
    List<IpRange> r = new ArrayList<>();
    for (int[] p : pairs) {
      r.add(new IpRange(at(family, p[0]), at(family, p[1])));
    }
    return RangeSet.of(family, r);
  }

  private static BitSet model(List<int[]> pairs) {
    BitSet m = new BitSet();
    for (int[] p : pairs) {
      m.set(p[0], p[1] + 1);
    }
    return m;
  }

  private static RangeSet fromModel(IpFamily family, BitSet m) {
    List<IpAddress> a = new ArrayList<>();
    m.stream().forEach(i -> a.add(at(family, i)));
    List<IpRange> singles = new ArrayList<>();
    a.forEach(ip -> singles.add(IpRange.of(ip)));
    return RangeSet.of(family, singles);
  }

  private static BitSet or(BitSet a, BitSet b) {
    BitSet c = (BitSet) a.clone();
    c.or(b);
    return c;
  }

  private static BitSet and(BitSet a, BitSet b) {
    BitSet c = (BitSet) a.clone();
    c.and(b);
    return c;
  }

  private static BitSet andNot(BitSet a, BitSet b) {
    BitSet c = (BitSet) a.clone();
    c.andNot(b);
    return c;
  }
}
