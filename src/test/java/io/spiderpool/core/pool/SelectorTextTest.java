// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.error.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTextTest {

  @Test
  void kubectlSelectorSyntax() {
    LabelSelector s = SelectorText.parse("role, zone in (a,b), tier!=db, !edge, app==web", "X");
    assertThat(s.matches(Map.of("role", "", "zone", "a", "tier", "web", "app", "web"))).isTrue();
    assertThat(s.matches(Map.of("role", "", "zone", "c", "app", "web"))).isFalse();
    assertThat(s.matches(Map.of("role", "", "zone", "a", "tier", "db", "app", "web"))).isFalse();
    assertThat(s.matches(Map.of("role", "", "zone", "a", "edge", "1", "app", "web"))).isFalse();
    assertThat(s.matches(Map.of("zone", "a", "app", "web"))).isFalse();
    assertThat(SelectorText.parse("zone notin (a)", "X").matches(Map.of())).isTrue();
    assertThat(SelectorText.parse("", "X").isEmpty()).isTrue();
  }

  @Test
  void badTextNamesTheSettingAndAnExample() {
    for (String bad : new String[] {"zone in a", "a,,b", "bad key!", "zone in ()"}) {
      assertThatThrownBy(() -> SelectorText.parse(bad, "SPIDERPOOL_CONTROLLER_NODE_SELECTOR"))
          .as(bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith(
              "SPIDERPOOL_CONTROLLER_NODE_SELECTOR=" + bad + " is not a label selector")
          .hasMessageContaining("write e.g.");
    }
  }
}
