// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.range.RangeList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimBookTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static Claim claim(AdmissionKind kind, String name, String subnet, String ips, Instant at) {
    Cidr c = Cidr.parse(subnet);
    return new Claim(kind, name, c, RangeList.parse("ips", List.of(ips.split(";")), c), at);
  }

  @Test
  void aRecordedClaimReadsBackAsANeighbourThatExplainsTheWait() {
    Map<String, String> data = ClaimBook.record(Map.of(),
        claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.1-10.0.0.9", T0), T0, TTL);
    assertThat(data).containsOnlyKeys("ippool.a");
    List<Neighbour> n = ClaimBook.neighbours(data, T0.plusSeconds(4), TTL);
    assertThat(n).hasSize(1);
    assertThat(n.get(0).kind()).isEqualTo(AdmissionKind.IPPOOL);
    assertThat(n.get(0).ips().toStrings()).containsExactly("10.0.0.1-10.0.0.9");
    assertThat(n.get(0).describe()).isEqualTo("SpiderIPPool a (10.0.0.0/24), admitted 4s ago and not stored yet"
        + " (if its creation failed, retry in 26s, when this claim lapses)");
  }

  @Test
  void lapsedAndUnreadableEntriesArePrunedOnTheNextWrite() {
    Map<String, String> data = ClaimBook.record(Map.of(),
        claim(AdmissionKind.SUBNET, "old", "fd00::/64", "fd00::1-fd00::ff", T0), T0, TTL);
    Map<String, String> mixed = new java.util.HashMap<>(data);
    mixed.put("ippool.broken", "{not json");
    mixed.put("unrelated", "x");
    Instant later = T0.plus(TTL).plusSeconds(1);
    assertThat(ClaimBook.live(mixed, later, TTL)).isEmpty();
    Map<String, String> next = ClaimBook.record(mixed,
        claim(AdmissionKind.IPPOOL, "new", "10.1.0.0/24", "10.1.0.5", later), later, TTL);
    assertThat(next).containsOnlyKeys("ippool.new");
  }

  @Test
  void aNewClaimReplacesTheSameObjectsOldOne() {
    Map<String, String> data = ClaimBook.record(Map.of(),
        claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.1", T0), T0, TTL);
    data = ClaimBook.record(data, claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.2", T0.plusSeconds(1)),
        T0.plusSeconds(1), TTL);
    assertThat(ClaimBook.live(data, T0.plusSeconds(2), TTL)).singleElement()
        .satisfies(c -> assertThat(c.ips().toStrings()).containsExactly("10.0.0.2"));
  }
}
