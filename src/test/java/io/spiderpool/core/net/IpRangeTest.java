// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRangeTest {

  @ParameterizedTest
  @CsvSource({
    "172.18.40.10,               172.18.40.10,  172.18.40.10,  1",
    "172.18.40.10-172.18.40.20,  172.18.40.10,  172.18.40.20,  11",
    "10.0.0.0-10.255.255.255,    10.0.0.0,      10.255.255.255, 16777216",
    "fd00::10,                   fd00::10,      fd00::10,      1",
    "fd00::10-fd00::20,          fd00::10,      fd00::20,      17",
    "fd00::-fd00::ffff:ffff:ffff:ffff, fd00::,  fd00::ffff:ffff:ffff:ffff, 18446744073709551616",
  })
  void parsesSpiderpoolRanges(String text, String start, String end, String size) {
    IpRange r = IpRange.parse(text);
    assertThat(r.start()).hasToString(start);
    assertThat(r.end()).hasToString(end);
    assertThat(r.size()).isEqualTo(new BigInteger(size));
    assertThat(IpRange.parse(r.toString())).isEqualTo(r);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "172.18.40.20-172.18.40.10 | '172.18.40.20-172.18.40.10' starts after it ends: write 172.18.40.10-172.18.40.20",
        "fd00::20-fd00::10         | 'fd00::20-fd00::10' starts after it ends: write fd00::10-fd00::20",
        "10.0.0.1-fd00::1          | '10.0.0.1-fd00::1' mixes IPv4 and IPv6: both ends must be of one family",
        "10.0.0.1 - 10.0.0.9       | '10.0.0.1 - 10.0.0.9' is not an IP range: write an address (172.18.40.10) or a range without spaces (172.18.40.10-172.18.40.20)",
        "10.0.0.0/24               | '10.0.0.0/24' is not an IP range: write an address (172.18.40.10) or a range without spaces (172.18.40.10-172.18.40.20)",
        "10.0.0.1-                 | '10.0.0.1-' is not an IP range: write an address (172.18.40.10) or a range without spaces (172.18.40.10-172.18.40.20)",
      })
  void badRangesSayWhatToWrite(String text, String message) {
    assertThatThrownBy(() -> IpRange.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.1-10.0.0.5,  10.0.0.6-10.0.0.9, false, true",
    "10.0.0.1-10.0.0.5,  10.0.0.5-10.0.0.9, true,  true",
    "10.0.0.1-10.0.0.5,  10.0.0.7-10.0.0.9, false, false",
    "fd00::1-fd00::5,    fd00::6,           false, true",
    "fd00::1-fd00::5,    10.0.0.6,          false, false",
  })
  void overlapsAndTouches(String a, String b, boolean overlaps, boolean touches) {
    IpRange x = IpRange.parse(a);
    IpRange y = IpRange.parse(b);
    assertThat(x.overlaps(y)).isEqualTo(overlaps);
    assertThat(y.overlaps(x)).isEqualTo(overlaps);
    assertThat(x.touches(y)).isEqualTo(touches);
    assertThat(y.touches(x)).isEqualTo(touches);
  }
}
