// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.testing.PropertyCheck;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

  @ParameterizedTest
  @CsvSource({
    "0.0.0.0,                0.0.0.0,           V4",
    "10.0.0.1,               10.0.0.1,          V4",
    "255.255.255.255,        255.255.255.255,   V4",
    "::,                     ::,                V6",
    "::1,                    ::1,               V6",
    "FD00:0:0:0:0:0:0:10,    fd00::10,          V6",
    "2001:db8:0:0:1:0:0:1,   2001:db8::1:0:0:1, V6",
    "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329, V6",
    "fd00:1:0:0:2:0:0:0,     fd00:1:0:0:2::,    V6",
    "1:0:2:3:4:5:6:7,        1:0:2:3:4:5:6:7,   V6",
    "::ffff:10.1.2.3,        ::ffff:a01:203,    V6",
    "1::,                    1::,               V6",
  })
  void parsesAndFormatsCanonically(String text, String canonical, IpFamily family) {
    IpAddress ip = IpAddress.parse(text);
    assertThat(ip.toString()).isEqualTo(canonical);
    assertThat(ip.family()).isEqualTo(family);
    assertThat(IpAddress.parse(canonical)).isEqualTo(ip);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        "01.2.3.4",
        "1.2.3.-4",
        " 1.2.3.4",
        "1.2.3.4 ",
        "1..2.3",
        "a.b.c.d",
        "1.2.3.4/24",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::1",
        "fe80::1%eth0",
        "g::1",
        ":1::2",
        "1:2:3:4:5:6:7::8",
        "1:",
        "::1.2.3",
        "::1.2.3.04",
        "1:2:3:4:5:6:7:1.2.3.4",
        "localhost"
      })
  void rejectsMalformedText(String text) {
    assertThat(IpAddress.tryParse(text)).isNull();
    assertThatThrownBy(() -> IpAddress.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("'" + text + "' is not an IP address: write e.g. 172.18.40.10 or fd00::10");
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.255,      10.0.1.0",
    "255.255.255.254, 255.255.255.255",
    "fd00::ffff:ffff:ffff:ffff, fd00:0:0:1::",
    "::fffe,          ::ffff",
  })
  void nextAndPreviousCarryAcrossWords(String a, String b) {
    assertThat(IpAddress.parse(a).next()).isEqualTo(IpAddress.parse(b));
    assertThat(IpAddress.parse(b).previous()).isEqualTo(IpAddress.parse(a));
    assertThat(IpAddress.parse(b).minus(IpAddress.parse(a))).isEqualTo(BigInteger.ONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
  void nextOfTheLastAddressFails(String last) {
    assertThat(IpAddress.parse(last).isMax()).isTrue();
    assertThatThrownBy(() -> IpAddress.parse(last).next()).isInstanceOf(ArithmeticException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3,      8,   10.0.0.0,   10.255.255.255",
    "10.1.2.3,      32,  10.1.2.3,   10.1.2.3",
    "10.1.2.3,      0,   0.0.0.0,    255.255.255.255",
    "fd00:1:2:3:4:5:6:7, 64,  fd00:1:2:3::,  fd00:1:2:3:ffff:ffff:ffff:ffff",
    "fd00:1:2:3:4:5:6:7, 32,  fd00:1::,      fd00:1:ffff:ffff:ffff:ffff:ffff:ffff",
    "fd00:1:2:3:4:5:6:7, 0,   ::,            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fd00:1:2:3:4:5:6:7, 100, fd00:1:2:3:4:5::, fd00:1:2:3:4:5:fff:ffff",
  })
  void networkAndBroadcastForAnyPrefix(String ip, int prefix, String network, String broadcast) {
    assertThat(IpAddress.parse(ip).network(prefix)).hasToString(network);
    assertThat(IpAddress.parse(ip).broadcast(prefix)).hasToString(broadcast);
  }

  @ParameterizedTest
  @CsvSource(
      quoteCharacter = '"',
      value = {
        "1.2.3.4, V6, '1.2.3.4' is an IPv4 address where an IPv6 one is expected",
        "fd00::1, V4, 'fd00::1' is an IPv6 address where an IPv4 one is expected"
      })
  void familyMismatchIsNamed(String text, IpFamily family, String message) {
    assertThatThrownBy(() -> IpAddress.parse(text, family)).hasMessage(message);
  }

  @Test
  void v6TextRoundTripsAndAgreesWithTheJdk() {
    PropertyCheck.forAll(
        rnd -> {
          byte[] bytes = sparseBytes(rnd);
          IpAddress jdk = IpAddress.of(IpFamily.V6, new BigInteger(1, bytes));
          String jdkText = jdkText(bytes);
          assertThat(IpAddress.parse(jdkText)).isEqualTo(jdk);
          assertThat(IpAddress.parse(jdk.toString())).isEqualTo(jdk);
          assertThat(jdk.toBigInteger()).isEqualTo(new BigInteger(1, bytes));
        });
  }

  /** Random bytes with runs of zero groups, so that :: compression is exercised. */
  private static byte[] sparseBytes(Random rnd) {
    byte[] b = new byte[16];
    for (int g = 0; g < 8; g++) {
      if (rnd.nextInt(3) > 0) {
        b[2 * g] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 0);
        b[2 * g + 1] = (byte) rnd.nextInt(256);
      }
    }
    return b;
  }

  private static String jdkText(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void v4ValueRoundTrips() {
    PropertyCheck.forAll(
        rnd -> {
          int value = rnd.nextInt();
          IpAddress ip = IpAddress.v4(value);
          assertThat(IpAddress.parse(ip.toString())).isEqualTo(ip);
          assertThat(ip.toBigInteger().longValue()).isEqualTo(value & 0xFFFFFFFFL);
        });
  }

  @Test
  void orderMatchesNumericValue() {
    PropertyCheck.forAll(
        rnd -> {
          BigInteger x = new BigInteger(1, sparseBytes(rnd));
          BigInteger y = new BigInteger(1, sparseBytes(rnd));
          assertThat(
                  Integer.signum(
                      IpAddress.of(IpFamily.V6, x).compareTo(IpAddress.of(IpFamily.V6, y))))
              .isEqualTo(x.compareTo(y));
        });
  }
}
