// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoBoolTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "1, true", "t, true", "T, true", "TRUE, true", "true, true", "True, true",
    "0, false", "f, false", "F, false", "FALSE, false", "false, false", "False, false",
  })
  void acceptsExactlyGoParseBoolSpellings(String text, boolean expected) {
    assertThat(GoBool.parse(text, "x")).isEqualTo(expected);
    assertThat(GoBool.reclaimIpPool(Map.of(IpamAnnotations.POD_IPPOOL_RECLAIM, text)))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yes", "no", "tRUE", " true", "true ", "2", "on"})
  void rejectsEverythingElse(String text) {
    assertThat(GoBool.tryParse(text)).isNull();
    assertThatThrownBy(() -> GoBool.parse(text, "flag"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "flag: '"
                + text
                + "' is not a boolean; write true or false (also accepted:"
                + " 1, t, T, TRUE, True, 0, f, F, FALSE, False)");
    assertThatThrownBy(() -> GoBool.reclaimIpPool(Map.of(IpamAnnotations.POD_IPPOOL_RECLAIM, text)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "wrong input, invalid format of Pod annotation"
                + " 'ipam.spidernet.io/ippool-reclaim': '"
                + text
                + "' is not a boolean; write e.g."
                + " true or false (also accepted: 1, t, T, TRUE, True, 0, f, F, FALSE, False)");
  }

  @Test
  void reclaimDefaultsToTrue() {
    assertThat(GoBool.reclaimIpPool(Map.of())).isTrue();
    assertThat(GoBool.tryParse(null)).isNull();
  }
}
