// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RangeListTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "10.0.0.0/24 | 10.0.0.10-10.0.0.20,10.0.0.5 | 10.0.0.5,10.0.0.10-10.0.0.20",
        "fd00::/120  | fd00::10-fd00::20,fd00::5    | fd00::5,fd00::10-fd00::20",
      })
  void parsesEntriesInsideTheSubnet(String subnet, String entries, String normalised) {
    RangeSet set = RangeList.parse("spec.ips", List.of(entries.split(",")), Cidr.parse(subnet));
    assertThat(String.join(",", set.toStrings())).isEqualTo(normalised);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "10.0.0.0/24 | 10.0.0.10,10.0.1.5 | spec.ips[1]: '10.0.1.5' is not inside subnet 10.0.0.0/24: use addresses from 10.0.0.0 to 10.0.0.255",
        "10.0.0.0/24 | 10.0.0.10,fd00::1  | spec.ips[1]: 'fd00::1' is IPv6 but this list holds IPv4 addresses",
        "10.0.0.0/24 | 10.0.0.9-10.0.0.1  | spec.ips[0]: '10.0.0.9-10.0.0.1' starts after it ends: write 10.0.0.1-10.0.0.9",
        "fd00::/120  | fd00::1-fd00::1ff  | spec.ips[0]: 'fd00::1-fd00::1ff' is not inside subnet fd00::/120: use addresses from fd00:: to fd00::ff",
      })
  void errorsNameTheEntry(String subnet, String entries, String message) {
    assertThatThrownBy(
            () -> RangeList.parse("spec.ips", List.of(entries.split(",")), Cidr.parse(subnet)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({"V4, 10.0.0.1", "V6, fd00::1"})
  void reservedIpsNeedOnlyAFamily(IpFamily family, String ip) {
    assertThat(RangeList.parse("spec.ips", List.of(ip), family).size().intValue()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({"V4", "V6"})
  void absentListIsEmpty(IpFamily family) {
    assertThat(RangeList.parse("spec.excludeIPs", null, family).isEmpty()).isTrue();
  }
}
