// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.net.IpFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoPoolNameTest {

  @ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
  @CsvSource({
    "web,    V4, eth0, 1d2a6f3c-0b7e-4f5a-9c3d-7e8f9a0b1c2d, auto4-web-eth0-7e8f9",
    "web,    V6, eth0, 1d2a6f3c-0b7e-4f5a-9c3d-7e8f9a0b1c2d, auto6-web-eth0-7e8f9",
    "Web-UI, V4, net1, 1D2A6F3C-0B7E-4F5A-9C3D-7E8F9A0B1C2D, auto4-web-ui-net1-7e8f9",
    "db,     V6, Net1, abc,                                  auto6-db-net1-abc",
    "db,     V4, eth0, 11-22,                                auto4-db-eth0-22",
    "db,     V4, eth0, 1122334455667,                        auto4-db-eth0-11223",
  })
  void formsSpiderpoolsName(String app, IpFamily family, String nic, String uid, String name) {
    assertThat(AutoPoolName.of(app, family, nic, uid)).isEqualTo(name);
  }

  @Test
  void aNameThatFitsIsNotCutAndALongOneIsCutToFitAnObjectName() {
    String uid = "00000000-0000-0000-0000-abcdefabcdef";
    // fixed part: "auto4-" + "-eth0-" + "abcde" = 17 characters, so 236 of the name fit in 253
    String fits = "a".repeat(236);
    assertThat(AutoPoolName.of(fits, IpFamily.V4, "eth0", uid))
        .hasSize(253)
        .isEqualTo("auto4-" + fits + "-eth0-abcde");
    String tooLong = "b".repeat(253);
    String cut = AutoPoolName.of(tooLong, IpFamily.V6, "eth0", uid);
    assertThat(cut).hasSize(253).isEqualTo("auto6-" + "b".repeat(236) + "-eth0-abcde");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "1d2a6f3c-0b7e-4f5a-9c3d-7e8f9a0b1c2d, 7e8f9",
    "ABCD,                                 abcd",
    "x-,                                   ''",
  })
  void uidSuffixIsTheLastPartCutToFive(String uid, String suffix) {
    assertThat(AutoPoolName.uidSuffix(uid)).isEqualTo(suffix);
  }

  @Test
  void isForMatchesTheUidSuffixOfEitherFamily() {
    String uid = "1d2a6f3c-0b7e-4f5a-9c3d-7e8f9a0b1c2d";
    assertThat(AutoPoolName.isFor("auto4-web-eth0-7e8f9", uid)).isTrue();
    assertThat(AutoPoolName.isFor("auto6-web-net1-7e8f9", uid)).isTrue();
    assertThat(AutoPoolName.isFor("auto4-web-eth0-00000", uid))
        .as("a predecessor's pool")
        .isFalse();
    assertThat(AutoPoolName.isFor("manual-7e8f9", uid)).as("not an auto-pool name").isFalse();
  }
}
