// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoolRecordsTest {

  @Test
  void readsAndWritesSpiderpoolsEncodingWithGoSortedKeys() {
    String stored = "{\"172.18.40.11\":{\"pod\":\"default/b\",\"podUid\":\"u2\"},"
        + "\"172.18.40.10\":{\"pod\":\"default/a\",\"podUid\":\"u1\",\"interface\":\"eth0\"}}";
    PoolRecords r = PoolRecords.parse(stored);
    assertThat(r.size()).isEqualTo(2);
    assertThat(r.get(IpAddress.parse("172.18.40.10"))).isEqualTo(new PoolRecord("default/a", "u1"));
    assertThat(r.toJson()).isEqualTo("{\"172.18.40.10\":{\"pod\":\"default/a\",\"podUid\":\"u1\"},"
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
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("status.allocatedIPs[10.0.0.x]");
    assertThatThrownBy(() -> PoolRecords.parse("[1]")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void usedAddressesArePerFamilyAndHeldByFindsAnOwnersAddresses() {
    PoolRecords r = PoolRecords.empty()
        .with(IpAddress.parse("10.0.0.1"), new PoolRecord("ns/a", "u1"))
        .with(IpAddress.parse("10.0.0.2"), new PoolRecord("ns/b", "u2"))
        .with(IpAddress.parse("fd00::1"), new PoolRecord("ns/a", "u1"));
    assertThat(r.used(IpFamily.V4).toStrings()).containsExactly("10.0.0.1-10.0.0.2");
    assertThat(r.used(IpFamily.V6).toStrings()).containsExactly("fd00::1");
    assertThat(r.heldBy("u1")).extracting(IpAddress::toString).containsExactlyInAnyOrder("10.0.0.1", "fd00::1");
    assertThat(r.without(IpAddress.parse("10.0.0.1")).size()).isEqualTo(2);
  }
}
