// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The comparison behind {@link SpiderpoolCrdCompatibilityIT} notices what matters, only that. */
class CrdComparisonTest {

  private static final String BASE =
      """
      spec:
        group: spiderpool.spidernet.io
        scope: Cluster
        names: {kind: SpiderIPPool, plural: spiderippools, shortNames: [sp]}
        versions:
        - name: v2beta1
          served: true
          storage: true
          subresources: {status: {}}
          additionalPrinterColumns:
          - {name: VERSION, jsonPath: .spec.ipVersion, type: string}
          - {name: SUBNET, jsonPath: .spec.subnet, type: string}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [subnet]
                  properties:
                    ipVersion: {type: integer, format: int64, enum: [4, 6]}
                    subnet: {type: string, description: the CIDR}
                    vlan: {type: integer, minimum: 0}
      """;

  private static JsonNode crd(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml, JsonNode.class);
  }

  @Test
  void equalCrdsHaveNoDifferences() {
    assertThat(CrdComparison.differences(crd(BASE), crd(BASE))).isEmpty();
  }

  @Test
  void ignoresDescriptionsNumberFormsAndDefaultedForms() {
    String ours =
        BASE.replace(", description: the CIDR", "")
            .replace("minimum: 0}", "minimum: 0.0}")
            .replace("enum: [4, 6]", "enum: [6, 4]")
            .replace(
                "jsonPath: .spec.subnet, type: string}",
                "jsonPath: .spec.subnet, type: string," + " priority: 0}");

    assertThat(CrdComparison.differences(crd(BASE), crd(ours))).isEmpty();
  }

  @Test
  void reportsSchemaDifferences() {
    String ours =
        BASE.replace("required: [subnet]", "required: []")
            .replace(", format: int64, enum: [4, 6]", "")
            .replace("vlan: {type: integer, minimum: 0}", "vlan: {type: string}");

    assertThat(CrdComparison.differences(crd(BASE), crd(ours)))
        .containsExactlyInAnyOrder(
            "version v2beta1 schema .spec required: Spiderpool [subnet], ours []",
            "version v2beta1 schema .spec.ipVersion enum: Spiderpool [4, 6], ours null",
            "version v2beta1 schema .spec.ipVersion format: Spiderpool int64, ours null",
            "version v2beta1 schema .spec.vlan minimum: Spiderpool 0, ours null",
            "version v2beta1 schema .spec.vlan type: Spiderpool integer, ours string");
  }

  @Test
  void reportsMissingPropertiesColumnOrderScopeAndSubresources() {
    String ours =
        BASE.replaceAll("(?m)^ *vlan: .*\n", "")
            .replace("scope: Cluster", "scope: Namespaced")
            .replace("subresources: {status: {}}", "subresources: {}")
            .replace("shortNames: [sp]", "shortNames: [sp, spp]");
    String swapped =
        BASE.replace("{name: VERSION, jsonPath: .spec.ipVersion", "{name: @")
            .replace(
                "{name: SUBNET, jsonPath: .spec.subnet",
                "{name: VERSION, jsonPath: .spec.ipVersion")
            .replace("{name: @", "{name: SUBNET, jsonPath: .spec.subnet");

    assertThat(CrdComparison.differences(crd(BASE), crd(ours)))
        .containsExactlyInAnyOrder(
            "spec.scope: Spiderpool Cluster, ours Namespaced",
            "spec.names.shortNames: Spiderpool [sp], ours [sp, spp]",
            "version v2beta1 subresources: Spiderpool {\"status\":{}}, ours {}",
            "version v2beta1 schema .spec.vlan: only in Spiderpool's");
    assertThat(CrdComparison.differences(crd(BASE), crd(swapped)))
        .singleElement()
        .asString()
        .startsWith("version v2beta1 printer columns:");
  }
}
