// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.range.RangeList;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimBookTest {
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private static Claim claim(
      AdmissionKind kind, String name, String subnet, String ips, Instant at, long seq) {
    Cidr c = Cidr.parse(subnet);
    return new Claim(kind, name, c, RangeList.parse("ips", List.of(ips.split(";")), c), at, seq);
  }

  @Test
  void anEarlierClaimReadsBackAsANeighbourThatSaysWhatIsHappening() {
    Map<String, String> data =
        ClaimBook.record(
            Map.of(),
            claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.1-10.0.0.9", T0, 1),
            T0,
            TTL);
    assertThat(data).containsOnlyKeys("ippool.a");
    Claim mine = claim(AdmissionKind.IPPOOL, "b", "10.0.0.0/24", "10.0.0.5", T0.plusSeconds(1), 2);
    List<Neighbour> n = ClaimBook.before(data, mine, T0.plusSeconds(1), TTL);
    assertThat(n).hasSize(1);
    assertThat(n.get(0).kind()).isEqualTo(AdmissionKind.IPPOOL);
    assertThat(n.get(0).ips().toStrings()).containsExactly("10.0.0.1-10.0.0.9");
    assertThat(n.get(0).describe())
        .isEqualTo(
            "SpiderIPPool a (10.0.0.0/24), which a create or update admitted"
                + " 1s ago is storing right now (if that request fails, its claim lapses in 4s: retry then)");
    assertThat(n.get(0).describe()).doesNotContain("not stored yet");
  }

  @Test
  void onlyClaimsRecordedEarlierAndOfOtherObjectsCount() {
    Map<String, String> data =
        ClaimBook.record(
            Map.of(), claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.1", T0, 1), T0, TTL);
    data =
        ClaimBook.record(
            data, claim(AdmissionKind.SUBNET, "s", "10.0.0.0/24", "10.0.0.1", T0, 3), T0, TTL);
    assertThat(ClaimBook.nextSeq(data)).isEqualTo(4);
    Claim second = claim(AdmissionKind.IPPOOL, "b", "10.0.0.0/24", "10.0.0.2", T0, 2);
    assertThat(ClaimBook.before(data, second, T0, TTL))
        .extracting(Neighbour::name)
        .containsExactly("a");
    Claim retryOfA = claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.1", T0, 4);
    assertThat(ClaimBook.before(data, retryOfA, T0, TTL))
        .extracting(Neighbour::name)
        .containsExactly("s");
    assertThat(ClaimBook.before(data, null, T0, TTL)).hasSize(2);
  }

  @Test
  void removeTakesOnlyTheNumberedClaimAndPrunes() {
    Map<String, String> data =
        ClaimBook.record(
            Map.of(), claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.1", T0, 7), T0, TTL);
    assertThat(ClaimBook.holds(data, AdmissionKind.IPPOOL, "a", 7)).isTrue();
    assertThat(ClaimBook.remove(data, AdmissionKind.IPPOOL, "a", 6, T0, TTL))
        .as("a newer claim stays")
        .containsOnlyKeys("ippool.a");
    assertThat(ClaimBook.remove(data, AdmissionKind.IPPOOL, "a", 7, T0, TTL)).isEmpty();
    assertThat(ClaimBook.remove(data, AdmissionKind.IPPOOL, "a", 0, T0, TTL)).isEmpty();
    assertThat(ClaimBook.remove(data, AdmissionKind.SUBNET, "a", 0, T0, TTL))
        .containsOnlyKeys("ippool.a");
  }

  @Test
  void lapsedAndUnreadableEntriesArePrunedOnTheNextWrite() {
    Map<String, String> data =
        ClaimBook.record(
            Map.of(),
            claim(AdmissionKind.SUBNET, "old", "fd00::/64", "fd00::1-fd00::ff", T0, 1),
            T0,
            TTL);
    Map<String, String> mixed = new HashMap<>(data);
    mixed.put("ippool.broken", "{not json");
    mixed.put("unrelated", "x");
    Instant later = T0.plus(TTL).plusSeconds(1);
    assertThat(ClaimBook.live(mixed, later, TTL)).isEmpty();
    Map<String, String> next =
        ClaimBook.record(
            mixed,
            claim(AdmissionKind.IPPOOL, "new", "10.1.0.0/24", "10.1.0.5", later, 2),
            later,
            TTL);
    assertThat(next).containsOnlyKeys("ippool.new");
  }

  @Test
  void aNewClaimReplacesTheSameObjectsOldOne() {
    Map<String, String> data =
        ClaimBook.record(
            Map.of(), claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.1", T0, 1), T0, TTL);
    data =
        ClaimBook.record(
            data,
            claim(AdmissionKind.IPPOOL, "a", "10.0.0.0/24", "10.0.0.2", T0.plusSeconds(1), 2),
            T0.plusSeconds(1),
            TTL);
    assertThat(ClaimBook.live(data, T0.plusSeconds(2), TTL))
        .singleElement()
        .satisfies(c -> assertThat(c.ips().toStrings()).containsExactly("10.0.0.2"));
  }
}
