// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.pool.TopController;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppRefTest {

  @ParameterizedTest(name = "{0} {1} -> {4}")
  @CsvSource({
    "apps/v1,            Deployment, ns, web, apps_v1_Deployment_ns_web",
    "batch/v1,           CronJob,    ns, nightly, batch_v1_CronJob_ns_nightly",
    "v1,                 Pod,        ns, p, v1_Pod_ns_p",
    "apps.kruise.io/v1beta1, StatefulSet, kr, set, apps.kruise.io_v1beta1_StatefulSet_kr_set",
  })
  void keyIsSpiderpoolsApplicationTextAndParsesBack(
      String apiVersion, String kind, String ns, String name, String key) {
    AppRef ref = AppRef.of(new TopController(apiVersion, kind, ns, name, "u"));
    assertThat(ref.key()).isEqualTo(key);
    assertThat(AppRef.parse(key)).contains(ref);
  }

  @Test
  void textOfAnotherShapeDoesNotParse() {
    assertThat(AppRef.parse("Deployment_web")).isEqualTo(Optional.empty());
    assertThat(AppRef.parse("a_b_c_d_e_f")).isEqualTo(Optional.empty());
  }

  @ParameterizedTest(name = "{0} {1} native={2}")
  @CsvSource({
    "apps/v1,          Deployment,  true",
    "apps/v1,          ReplicaSet,  true",
    "apps/v1,          StatefulSet, true",
    "apps/v1,          DaemonSet,   true",
    "batch/v1,         Job,         true",
    "batch/v1,         CronJob,     true",
    "v1,               Pod,         true",
    "apps/v1,          Widget,      false",
    "apps.kruise.io/v1beta1, StatefulSet, false",
    "kubevirt.io/v1,   VirtualMachineInstance, false",
    "example.io/v1,    Widget,      false",
  })
  void nativeKindsAreKubernetesOwnControllers(String apiVersion, String kind, boolean isNative) {
    assertThat(AppRef.isNative(apiVersion, kind)).isEqualTo(isNative);
  }
}
