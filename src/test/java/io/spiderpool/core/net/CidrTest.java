// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/24,   10.0.0.0,  10.0.0.255,  256,   10-0-0-0-24",
    "10.0.0.0/8,    10.0.0.0,  10.255.255.255, 16777216, 10-0-0-0-8",
    "0.0.0.0/0,     0.0.0.0,   255.255.255.255, 4294967296, 0-0-0-0-0",
    "172.18.40.7/32, 172.18.40.7, 172.18.40.7, 1, 172-18-40-7-32",
    "fd00::/64,     fd00::,    fd00::ffff:ffff:ffff:ffff, 18446744073709551616, fd00---64",
    "fd00::/32,     fd00::,    fd00:0:ffff:ffff:ffff:ffff:ffff:ffff, 79228162514264337593543950336, fd00---32",
    "::/0,          ::,        ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 340282366920938463463374607431768211456, ---0",
    "fd00::10/128,  fd00::10,  fd00::10,    1, fd00--10-128",
  })
  void parsesAnyPrefixExactly(String text, String first, String last, String size, String label) {
    Cidr c = Cidr.parse(text);
    assertThat(c).hasToString(text);
    assertThat(c.first()).hasToString(first);
    assertThat(c.last()).hasToString(last);
    assertThat(c.size()).isEqualTo(new BigInteger(size));
    assertThat(c.toRange().size()).isEqualTo(new BigInteger(size));
    assertThat(c.labelValue()).isEqualTo(label);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.1/24,     10.0.0.1/24 is not canonical: write 10.0.0.0/24",
    "fd00::1/64,      fd00::1/64 is not canonical: write fd00::/64",
    "172.18.41.0/23,  172.18.41.0/23 is not canonical: write 172.18.40.0/23",
  })
  void nonCanonicalSaysWhatToWrite(String text, String message) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/024",
        "fd00::/129",
        "x/24",
        "10.0.0.0/2a",
        "/24",
        "10.0.0.0/-1"
      })
  void malformedCidrIsRejected(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("'" + text + "' is not a CIDR");
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/24, 10.0.0.0/16, true",
    "10.0.0.0/24, 10.0.1.0/24, false",
    "10.0.0.0/24, 10.0.0.0/24, true",
    "fd00::/64,   fd00::/48,   true",
    "fd00::/64,   fd00:0:0:1::/64, false",
    "10.0.0.0/8,  ::/0,        false",
  })
  void overlapIsContainment(String a, String b, boolean overlap) {
    assertThat(Cidr.parse(a).overlaps(Cidr.parse(b))).isEqualTo(overlap);
    assertThat(Cidr.parse(b).overlaps(Cidr.parse(a))).isEqualTo(overlap);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/24, 10.0.0.255, true",
    "10.0.0.0/24, 10.0.1.0,   false",
    "fd00::/64,   fd00::ffff, true",
    "fd00::/64,   fd01::,     false",
    "10.0.0.0/24, ::a00:1,    false",
  })
  void containsAddress(String cidr, String ip, boolean contained) {
    assertThat(Cidr.parse(cidr).contains(IpAddress.parse(ip))).isEqualTo(contained);
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.5/24, 10.0.0.0/24", "fd00::5/64, fd00::/64"})
  void prefixedAddressKeepsHostBits(String text, String network) {
    Cidr.Prefixed p = Cidr.parsePrefixed(text);
    assertThat(p).hasToString(text);
    assertThat(p.cidr()).hasToString(network);
  }
}
