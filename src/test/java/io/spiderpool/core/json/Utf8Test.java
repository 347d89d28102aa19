// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.testing.PropertyCheck;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hand-written check agrees with the JDK's reporting decoder on any bytes. */
class Utf8Test {
  private static boolean jdkAccepts(byte[] b) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      d.decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void agreesWithTheJdksStrictDecoderOnRandomBytes() {
    PropertyCheck.forAll(
        r -> {
          byte[] b = new byte[r.nextInt(12)];
          for (int i = 0; i < b.length; i++) {
            // mostly bytes around the multi-byte lead and continuation boundaries
            b[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(0x80) : 0x80 + r.nextInt(0x80));
          }
          assertThat(Utf8.firstInvalid(b) < 0).as("verdict on %s", hex(b)).isEqualTo(jdkAccepts(b));
        });
  }

  @Test
  void everyCodePointEncodedByTheJdkIsAccepted() {
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp += cp < 0x10000 ? 1 : 7) {
      if (cp >= 0xd800 && cp <= 0xdfff) {
        continue;
      }
      byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.firstInvalid(b)).as("U+%X", cp).isEqualTo(-1);
    }
  }

  @Test
  void namesTheFirstBadByte() {
    assertThat(Utf8.firstInvalid(new byte[] {'a', 'b', (byte) 0xc3, (byte) 0xa9, (byte) 0xff}))
        .isEqualTo(4);
    assertThat(
            Utf8.firstInvalid(new byte[] {'a', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
        .as("above U+10FFFF")
        .isEqualTo(1);
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x ", x & 0xff));
    }
    return sb.toString();
  }
}
