// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class JsonMergePatchCustomizerTest {

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  private static JSONSchemaProps twoProperties() {
    return new JSONSchemaPropsBuilder()
        .withType("object")
        .addToProperties("ipVersion", new JSONSchemaPropsBuilder().withType("integer").build())
        .addToProperties("subnet", new JSONSchemaPropsBuilder().withType("string").build())
        .withRequired("subnet")
        .build();
  }

  @Test
  void patchesOnePropertyAndKeepsTheOthers() {
    JSONSchemaProps patched =
        new JsonMergePatchCustomizer()
            .apply(
                twoProperties(),
                "{\"properties\":{\"ipVersion\":{\"enum\":[4,6]}}}",
                serialization);

    assertThat(patched.getProperties()).containsOnlyKeys("ipVersion", "subnet");
    assertThat(patched.getProperties().get("ipVersion").getType()).isEqualTo("integer");
    assertThat(patched.getProperties().get("ipVersion").getEnum())
        .extracting(Object::toString)
        .containsExactly("4", "6");
    assertThat(patched.getRequired()).containsExactly("subnet");
  }

  @Test
  void nullDeletesAndArraysAreReplacedWhole() {
    JSONSchemaProps patched =
        new JsonMergePatchCustomizer()
            .apply(
                twoProperties(),
                "{\"properties\":{\"ipVersion\":null},\"required\":[\"ipVersion\"]}",
                serialization);

    assertThat(patched.getProperties()).containsOnlyKeys("subnet");
    assertThat(patched.getRequired()).containsExactly("ipVersion");
  }

  @Test
  void setsKubernetesExtensions() {
    JSONSchemaProps patched =
        new JsonMergePatchCustomizer()
            .apply(twoProperties(), "{\"x-kubernetes-map-type\":\"atomic\"}", serialization);

    assertThat(patched.getXKubernetesMapType()).isEqualTo("atomic");
    assertThat(patched.getProperties()).hasSize(2);
  }
}
