// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CniExchangeTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "K8S_POD_NAME=a;IgnoreUnknown=1|K8S_POD_NAME=a;IgnoreUnknown=1",
        "' lead and trail '|%20lead%20and%20trail%20",
        "100%|100%25",
        "naïve|na%C3%AFve",
        "'a\r\nInjected: x'|a%0D%0AInjected:%20x"
      })
  void headerValuesSurviveTheLatin1TrimmedHeaderLine(String raw, String encoded) {
    assertThat(CniExchange.encodeHeader(raw)).isEqualTo(encoded);
    assertThat(CniExchange.decodeHeader(encoded)).isEqualTo(raw);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"%|%", "%4|%4", "%zz|%zz", "a%41|aA"})
  void malformedEscapesStayLiteral(String encoded, String decoded) {
    assertThat(CniExchange.decodeHeader(encoded)).isEqualTo(decoded);
  }
}
