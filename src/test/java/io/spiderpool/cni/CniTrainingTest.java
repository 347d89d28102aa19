// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The archive training run must pass through every path without a daemon. */
class CniTrainingTest {
  @Test
  void trainsVersionUnreachableAndAFullExchange() {
    assertThatCode(CniTraining::run).doesNotThrowAnyException();
  }
}
