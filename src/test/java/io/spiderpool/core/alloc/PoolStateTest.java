// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Allocation decisions on a pool snapshot, IPv4 and IPv6 side by side. */
class PoolStateTest {

  private static PoolState pool(
      String subnet, String ips, String exclude, String reserved, int max) {
    PoolSpace space =
        PoolSpace.of(
            subnet,
            List.of(ips.split(",")),
            exclude.isEmpty() ? null : List.of(exclude.split(",")),
            null,
            null);
    RangeSet res =
        reserved.isEmpty()
            ? RangeSet.empty(space.subnet().family())
            : RangeList.parse("reserved", List.of(reserved.split(",")), space.subnet().family());
    return new PoolState("p", space, PoolRecords.empty(), res, max);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/24 | 10.0.0.10-10.0.0.14 | 10.0.0.10 | 10.0.0.11 | 10.0.0.12,10.0.0.13,10.0.0.14",
        "fd00::/64   | fd00::10-fd00::14   | fd00::10  | fd00::11  | fd00::12,fd00::13,fd00::14",
      })
  void handsOutLowestFreeSkippingExcludedAndReservedThenIsExhausted(
      String subnet, String ips, String exclude, String reserved, String expected) {
    PoolState s = pool(subnet, ips, exclude, reserved, 5000);
    StringBuilder got = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      PoolState.Allocated a = s.allocate("ns/p" + i, "u" + i, Set.of());
      got.append(i == 0 ? "" : ",").append(a.ip());
      s = a.next();
    }
    assertThat(got.toString()).isEqualTo(expected);
    PoolState full = s;
    assertThatThrownBy(() -> full.allocate("ns/x", "ux", Set.of()))
        .isInstanceOf(PoolExhaustedException.class)
        .hasMessageStartingWith("all IP addresses used out: IPPool p has no free address");
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/24, 10.0.0.1-10.0.0.9", "fd00::/120, fd00::1-fd00::9"})
  void theSameUidGetsItsAddressBackUnlessItIsHeldOnAnotherNic(String subnet, String ips) {
    PoolState s = pool(subnet, ips, "", "", 5000);
    PoolState.Allocated first = s.allocate("ns/a", "u1", Set.of());
    PoolState.Allocated again = first.next().allocate("ns/a", "u1", Set.of());
    assertThat(again.ip()).isEqualTo(first.ip());
    assertThat(again.reused()).isTrue();
    PoolState.Allocated otherNic = first.next().allocate("ns/a", "u1", Set.of(first.ip()));
    assertThat(otherNic.ip()).isNotEqualTo(first.ip());
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/24, 10.0.0.1-10.0.0.9", "fd00::/120, fd00::1-fd00::9"})
  void releaseChecksTheOwnerUid(String subnet, String ips) {
    PoolState.Allocated a = pool(subnet, ips, "", "", 5000).allocate("ns/a", "u1", Set.of());
    assertThat(a.next().release(a.ip(), "someone-else").records().size()).isEqualTo(1);
    assertThat(a.next().release(a.ip(), "u1").records().size()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/24, 10.0.0.1-10.0.0.9", "fd00::/120, fd00::1-fd00::9"})
  void theRecordCapIsEnforced(String subnet, String ips) {
    PoolState one = pool(subnet, ips, "", "", 1).allocate("ns/a", "u1", Set.of()).next();
    assertThatThrownBy(() -> one.allocate("ns/b", "u2", Set.of()))
        .isInstanceOf(PoolExhaustedException.class)
        .hasMessage(
            "all IP addresses used out, threshold of IP records(<=1) for IPPool p exceeded");
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/24, 10.0.0.1-10.0.0.9, 10.0.0.3", "fd00::/120, fd00::1-fd00::9, fd00::3"})
  void reownMovesASameNameRecordAndRecreatesAMissingOne(String subnet, String ips, String ip) {
    IpAddress addr = IpAddress.parse(ip);
    PoolState s = pool(subnet, ips, "", "", 5000);
    PoolState recreated = s.reown(addr, "ns/db-0", "new");
    assertThat(recreated.records().get(addr)).isEqualTo(new PoolRecord("ns/db-0", "new"));
    PoolState moved = recreated.reown(addr, "ns/db-0", "newer");
    assertThat(moved.records().get(addr).podUid()).isEqualTo("newer");
    assertThatThrownBy(() -> moved.reown(addr, "ns/other", "x"))
        .hasMessageContaining("data broken");
  }
}
