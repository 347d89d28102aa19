// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ControlledPoolsTest {
  /**
   * As Spiderpool's controller writes it: keys sorted, ips before application, manual pools without
   * one.
   */
  static final String SPIDERPOOL_V4 =
      "{\"auto4-web-eth0-7e8f9\":{\"ips\":[\"10.6.0.10-10.6.0.12\"],"
          + "\"application\":\"apps_v1_Deployment_default_web\"},\"manual\":{\"ips\":[\"10.6.0.100\",\"10.6.0.102\"]}}";

  @Test
  void readsAndWritesSpiderpoolsTextUnchanged() {
    ControlledPools c = ControlledPools.parse(SPIDERPOOL_V4);
    assertThat(c.entries().keySet()).containsExactly("auto4-web-eth0-7e8f9", "manual");
    assertThat(c.get("auto4-web-eth0-7e8f9").orElseThrow().application())
        .isEqualTo("apps_v1_Deployment_default_web");
    assertThat(c.get("manual").orElseThrow().application()).isNull();
    assertThat(c.toJson()).isEqualTo(SPIDERPOOL_V4);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "null", "{}"})
  void absentOrEmptyControlsNothingAndIsWrittenAsAbsent(String text) {
    ControlledPools c = ControlledPools.parse(text);
    assertThat(c.entries()).isEmpty();
    assertThat(c.toJson()).isNull();
    assertThat(c.carvedCount(IpFamily.V4)).isZero();
  }

  @Test
  void keysAreSortedWhateverTheInsertionOrderAndIpsNullReadsEmpty() {
    ControlledPools c =
        ControlledPools.empty()
            .with("z", new ControlledPools.Entry(List.of("fd00::1"), null, List.of()))
            .with("a", new ControlledPools.Entry(List.of(), "v1_Pod_ns_p", null));
    assertThat(c.toJson())
        .isEqualTo(
            "{\"a\":{\"ips\":[],\"application\":\"v1_Pod_ns_p\"},\"z\":{\"ips\":[\"fd00::1\"]}}");
    assertThat(ControlledPools.parse("{\"a\":{\"ips\":null}}").get("a").orElseThrow().ips())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "V4 | {\"a\":{\"ips\":[\"10.0.0.1-10.0.0.4\"]},\"b\":{\"ips\":[\"10.0.0.9\"],\"releasing\":[\"10.0.0.10-10.0.0.11\"]}} | 7 | 3",
        "V6 | {\"a\":{\"ips\":[\"fd00::1-fd00::4\"]},\"b\":{\"ips\":[\"fd00::9\"],\"releasing\":[\"fd00::a-fd00::b\"]}} | 7 | 3",
      })
  void releasingAddressesStayCarved(IpFamily family, String json, long carved, long carvedExceptA) {
    ControlledPools c = ControlledPools.parse(json);
    assertThat(c.carvedCount(family)).isEqualTo(carved);
    assertThat(c.carvedExcept("a", family).sizeCapped()).isEqualTo(carvedExceptA);
    assertThat(c.toJson()).as("our own field round-trips").isEqualTo(json);
  }

  @Test
  void withAndWithoutAreCopies() {
    ControlledPools c = ControlledPools.parse(SPIDERPOOL_V4);
    ControlledPools less = c.without("manual");
    assertThat(c.entries()).hasSize(2);
    assertThat(less.entries()).containsOnlyKeys("auto4-web-eth0-7e8f9");
    assertThat(less.without("absent")).isSameAs(less);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "{\"a\":[]}",
        "{\"a\":{\"ips\":\"10.0.0.1\"}}",
        "{\"a\":{\"ips\":[],\"application\":1}}"
      })
  void aMalformedTextIsInvalidInput(String text) {
    assertThatThrownBy(() -> ControlledPools.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("status.controlledIPPools");
  }
}
