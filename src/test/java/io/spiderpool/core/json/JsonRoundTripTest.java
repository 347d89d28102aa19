// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.testing.PropertyCheck;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Writing then reading any tree gives the same tree; reading never fails other than typed. */
class JsonRoundTripTest {
  private static final String TEXT_CHARS = "{}[]\":,.-+eE0123456789 \\utrflnasx\uD83D\uDE00";
  private static final String STRING_CHARS = "ab \"\\/\n\t\u0001é中\u2028";

  @Test
  void writeThenReadIsIdentity() {
    PropertyCheck.forAll(
        random -> {
          Object tree = tree(random, 4);
          assertThat(JsonReader.parse(JsonWriter.write(tree))).isEqualTo(tree);
        });
  }

  @Test
  void arbitraryTextEitherParsesOrFailsWithASyntaxError() {
    PropertyCheck.forAll(
        random -> {
          String text = string(random, TEXT_CHARS, 40);
          try {
            JsonReader.parse(text);
          } catch (JsonSyntaxException expected) {
            assertThat(expected.getMessage()).startsWith("invalid JSON at line ");
          }
        });
  }

  static Object tree(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 7 : 5);
    switch (kind) {
      case 0:
        return string(random, STRING_CHARS, 8);
      case 1:
        return random.nextLong();
      case 2:
        return BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, 3);
      case 3:
        return random.nextBoolean();
      case 4:
        return null;
      case 5:
        {
          List<Object> list = new ArrayList<>();
          for (int i = random.nextInt(4); i > 0; i--) {
            list.add(tree(random, depth - 1));
          }
          return list;
        }
      default:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          for (int i = random.nextInt(4); i > 0; i--) {
            map.put(string(random, "abcXYZ", 4), tree(random, depth - 1));
          }
          return map;
        }
    }
  }

  static String string(Random random, String chars, int maxLength) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
      s.append(chars.charAt(random.nextInt(chars.length())));
    }
    return s.toString();
  }
}
