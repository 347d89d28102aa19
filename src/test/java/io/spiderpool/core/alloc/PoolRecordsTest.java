// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.testing.PropertyCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoolRecordsTest {

  @Test
  void readsAndWritesSpiderpoolsEncodingWithGoSortedKeys() {
    String stored =
        "{\"172.18.40.11\":{\"pod\":\"default/b\",\"podUid\":\"u2\"},"
            + "\"172.18.40.10\":{\"pod\":\"default/a\",\"podUid\":\"u1\",\"interface\":\"eth0\"}}";
    PoolRecords r = PoolRecords.parse(stored);
    assertThat(r.size()).isEqualTo(2);
    assertThat(r.get(IpAddress.parse("172.18.40.10"))).isEqualTo(new PoolRecord("default/a", "u1"));
    assertThat(r.toJson())
        .isEqualTo(
            "{\"172.18.40.10\":{\"pod\":\"default/a\",\"podUid\":\"u1\"},"
                + "\"172.18.40.11\":{\"pod\":\"default/b\",\"podUid\":\"u2\"}}");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " ", "null", "{}"})
  void absentOrEmptyMeansNoRecordsAndIsWrittenAsAbsent(String stored) {
    PoolRecords r = PoolRecords.parse(stored);
    assertThat(r.size()).isZero();
    assertThat(r.toJson()).isNull();
  }

  @Test
  void malformedRecordsAreReportedWithTheirKey() {
    assertThatThrownBy(() -> PoolRecords.parse("{\"10.0.0.x\":{\"pod\":\"a/b\",\"podUid\":\"u\"}}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("status.allocatedIPs[10.0.0.x]");
    assertThatThrownBy(() -> PoolRecords.parse("[1]")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void usedAddressesArePerFamilyAndHeldByFindsAnOwnersAddresses() {
    PoolRecords r =
        PoolRecords.empty()
            .with(IpAddress.parse("10.0.0.1"), new PoolRecord("ns/a", "u1"))
            .with(IpAddress.parse("10.0.0.2"), new PoolRecord("ns/b", "u2"))
            .with(IpAddress.parse("fd00::1"), new PoolRecord("ns/a", "u1"));
    assertThat(r.used(IpFamily.V4).toStrings()).containsExactly("10.0.0.1-10.0.0.2");
    assertThat(r.used(IpFamily.V6).toStrings()).containsExactly("fd00::1");
    assertThat(r.heldBy("u1"))
        .extracting(IpAddress::toString)
        .containsExactlyInAnyOrder("10.0.0.1", "fd00::1");
    assertThat(r.without(IpAddress.parse("10.0.0.1")).size()).isEqualTo(2);
  }

  @Test
  void equalTextIsParsedOnceAndAFreshInstanceOfItHitsTheMemo() {
    String stored = "{\"10.1.0.1\":{\"pod\":\"ns/a\",\"podUid\":\"memo-1\"}}";
    PoolRecords first = PoolRecords.parse(stored);
    PoolRecords again =
        PoolRecords.parse(new String(stored.toCharArray())); // equal text, another instance
    assertThat(again).isSameAs(first);
    assertThat(PoolRecords.parse(stored.replace("memo-1", "memo-2")))
        .isNotSameAs(first)
        .isNotEqualTo(first);
  }

  /** The used sets carried forward by with/without equal the ones computed from scratch. */
  @Test
  void usedSetsCarriedThroughWithAndWithoutMatchAFreshComputation() {
    PropertyCheck.forAll(
        rnd -> {
          PoolRecords r = PoolRecords.empty();
          r.used(IpFamily.V4);
          r.used(IpFamily.V6);
          List<IpAddress> seen = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            boolean v6 = rnd.nextBoolean();
            IpAddress ip =
                rnd.nextInt(4) == 0 && !seen.isEmpty()
                    ? seen.get(rnd.nextInt(seen.size()))
                    : IpAddress.parse(
                        v6
                            ? "fd00::" + Integer.toHexString(rnd.nextInt(64))
                            : "10.0.0." + rnd.nextInt(64));
            seen.add(ip);
            r =
                rnd.nextInt(3) == 0
                    ? r.without(ip)
                    : r.with(ip, new PoolRecord("ns/p" + i, "u" + i));
            PoolRecords fresh = PoolRecords.parse(r.toJson());
            String text = r.toJson();
            PoolRecords reparsed =
                text == null ? PoolRecords.empty() : PoolRecords.parse(text + " ");
            for (IpFamily f : IpFamily.values()) {
              assertThat(r.used(f)).as("%s after step %d", f, i).isEqualTo(reparsed.used(f));
            }
            assertThat(fresh).isEqualTo(r);
          }
        });
  }

  @Test
  void directWriterMatchesTheGenericJsonWriter() {
    PoolRecords r =
        PoolRecords.parse(
            "{\"10.0.0.2\":{\"pod\":\"ns/q\\\"uote\",\"podUid\":\"u\\\\2\"},"
                + "\"10.0.0.10\":{\"pod\":\"ns/\\u00e9\",\"podUid\":\"u10\"}}");
    Map<String, Object> tree = new LinkedHashMap<>();
    r.asMap().forEach((ip, rec) -> tree.put(ip, new LinkedHashMap<>(Map.of("pod", rec.pod()))));
    r.asMap()
        .forEach((ip, rec) -> ((Map<String, Object>) tree.get(ip)).put("podUid", rec.podUid()));
    assertThat(r.toJson()).isEqualTo(JsonWriter.write(tree));
    assertThat(PoolRecords.parse(r.toJson())).isEqualTo(r);
  }
}
