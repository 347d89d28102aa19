// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopControllerTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "apps/v1,          Deployment,            apps,        v1,       false",
    "batch/v1,         CronJob,               batch,       v1,       false",
    "v1,               Pod,                   '',          v1,       true",
    "v1,               ReplicationController, '',          v1,       false",
    "kubevirt.io/v1,   VirtualMachineInstance, kubevirt.io, v1,      false",
    "apps.kruise.io/v1alpha1, CloneSet,       apps.kruise.io, v1alpha1, false",
  })
  void splitsApiVersionAndRecognisesOrphanPods(
      String apiVersion, String kind, String group, String version, boolean orphan) {
    TopController c = new TopController(apiVersion, kind, "ns", "name", "uid");
    assertThat(c.group()).isEqualTo(group);
    assertThat(c.version()).isEqualTo(version);
    assertThat(c.isOrphanPod()).isEqualTo(orphan);
  }
}
