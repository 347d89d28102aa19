// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Benchmark (not a test): "lowest free address" on big pools with 100k allocations, side by side
 * with the baseline Spiderpool uses — walk the pool's addresses in order and test each against a
 * hash set of used addresses. Run with {@code hack/bench-lowest-free.sh}.
 *
 * <p>Prints, per scenario: time to build the used-address index from 100k addresses (done once per
 * pool snapshot), and the median and p99 of one lowest-free query for both approaches.
 */
public final class LowestFreeBench {
  private static final int ALLOCATIONS = 100_000;

  private LowestFreeBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    System.out.printf(
        "lowest free address, %d allocations, %d measured rounds, %s%n",
        ALLOCATIONS, rounds, Runtime.version());
    System.out.printf(
        "%-44s %12s %12s %12s %12s %9s%n",
        "scenario", "index build", "ours p50", "ours p99", "walk p50", "walk/ours");
    run("IPv4 /8, first 100k addresses used", "10.0.0.0/8", false, rounds);
    run("IPv4 /8, 100k scattered, first 50k used", "10.0.0.0/8", true, rounds);
    run("IPv6 /64, first 100k addresses used", "fd00::/64", false, rounds);
    run("IPv6 /64, 100k scattered, first 50k used", "fd00::/64", true, rounds);
  }

  private static void run(String name, String subnet, boolean scattered, int rounds) {
    Cidr cidr = Cidr.parse(subnet);
    PoolSpace space =
        PoolSpace.of(
            subnet,
            List.of(cidr.first().next() + "-" + cidr.last().previous()),
            List.of(cidr.first().next().toString()),
            null,
            cidr.first().next().toString());
    List<IpAddress> used = usedAddresses(cidr, scattered);

    long t0 = System.nanoTime();
    RangeSet usedIndex = RangeSet.ofAddresses(cidr.family(), used);
    RangeSet usable = space.usable();
    long buildNanos = System.nanoTime() - t0;
    Set<IpAddress> usedHash = new HashSet<>(used);

    IpAddress ours = usable.lowestNotIn(usedIndex).orElseThrow();
    IpAddress walk = walk(space, usedHash).orElseThrow();
    if (!ours.equals(walk)) {
      throw new IllegalStateException("disagreement: ours " + ours + ", walk " + walk);
    }
    double[] o = time(() -> usable.lowestNotIn(usedIndex), rounds);
    double[] w = time(() -> walk(space, usedHash), Math.max(20, rounds / 10));
    System.out.printf(
        "%-44s %9.2f ms %9.2f µs %9.2f µs %9.2f µs %8.0fx   -> %s%n",
        name, buildNanos / 1e6, o[0], o[1], w[0], w[1] > 0 ? w[0] / o[0] : 0, ours);
  }

  /** Spiderpool's way: addresses in ascending order until one is not in the used set. */
  private static Optional<IpAddress> walk(PoolSpace space, Set<IpAddress> used) {
    for (var r : space.ips().ranges()) {
      IpAddress ip = r.start();
      while (true) {
        if (!used.contains(ip)
            && !space.excluded().contains(ip)
            && !space.reserved().contains(ip)) {
          return Optional.of(ip);
        }
        if (ip.equals(r.end())) {
          break;
        }
        ip = ip.next();
      }
    }
    return Optional.empty();
  }

  private static List<IpAddress> usedAddresses(Cidr cidr, boolean scattered) {
    List<IpAddress> out = new ArrayList<>(ALLOCATIONS);
    IpAddress base = cidr.first().next().next();
    int contiguous = scattered ? ALLOCATIONS / 2 : ALLOCATIONS;
    for (int i = 0; i < contiguous; i++) {
      out.add(base.plus(BigInteger.valueOf(i)));
    }
    Random rnd = new Random(42);
    BigInteger span = cidr.size().subtract(BigInteger.valueOf(contiguous + 4));
    while (out.size() < ALLOCATIONS) {
      BigInteger off = new BigInteger(Math.min(62, span.bitLength() - 1), rnd);
      out.add(base.plus(BigInteger.valueOf(contiguous + 1).add(off)));
    }
    return out;
  }

  /** Median and p99 in microseconds after warming the code path. */
  private static double[] time(Supplier<?> op, int rounds) {
    for (int i = 0; i < rounds; i++) {
      op.get();
    }
    double[] us = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      op.get();
      us[i] = (System.nanoTime() - t) / 1e3;
    }
    Arrays.sort(us);
    return new double[] {
      us[rounds / 2], us[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)]
    };
  }
}
