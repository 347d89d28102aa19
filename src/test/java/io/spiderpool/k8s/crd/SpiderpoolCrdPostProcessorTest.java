// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import org.junit.jupiter.api.Test;

/** The post-processor on CRDs shaped as fabric8 7.5.2 generates them. */
class SpiderpoolCrdPostProcessorTest {

  private static JSONSchemaProps type(String type) {
    return new JSONSchemaPropsBuilder().withType(type).build();
  }

  /** fabric8's output for SpiderEndpoint: columns sorted by path, status subresource, Void spec. */
  private static CustomResourceDefinition generatedEndpointCrd() {
    JSONSchemaProps ips =
        new JSONSchemaPropsBuilder()
            .withType("array")
            .withNewItems()
            .withNewSchema()
            .withType("object")
            .addToProperties("vlan", type("integer"))
            .endSchema()
            .endItems()
            .build();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("spiderendpoints.spiderpool.spidernet.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("spiderpool.spidernet.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("SpiderEndpoint")
        .withPlural("spiderendpoints")
        .endNames()
        .addNewVersion()
        .withName("v2beta1")
        .addNewAdditionalPrinterColumn()
        .withName("NODE")
        .withJsonPath(".status.current.node")
        .withType("string")
        .withPriority(0)
        .endAdditionalPrinterColumn()
        .addNewAdditionalPrinterColumn()
        .withName("INTERFACE")
        .withJsonPath(".status.current.ips[0].interface")
        .withType("string")
        .withPriority(0)
        .endAdditionalPrinterColumn()
        .withNewSubresources()
        .withNewStatus()
        .endStatus()
        .endSubresources()
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .addToProperties("spec", type("object"))
        .addToProperties(
            "status",
            new JSONSchemaPropsBuilder()
                .withType("object")
                .addToProperties(
                    "current",
                    new JSONSchemaPropsBuilder()
                        .withType("object")
                        .addToProperties("ips", ips)
                        .build())
                .build())
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }

  @Test
  void conformsTheEndpointCrdToSpiderpools() {
    CustomResourceDefinition crd = generatedEndpointCrd();

    new SpiderpoolCrdPostProcessor().process(crd, "v1");

    var version = crd.getSpec().getVersions().get(0);
    assertThat(crd.getSpec().getNames().getListKind()).isEqualTo("SpiderEndpointList");
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("INTERFACE", "NODE");
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getPriority)
        .containsOnlyNulls();
    assertThat(version.getSubresources()).isNotNull();
    assertThat(version.getSubresources().getStatus()).isNull();
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    assertThat(root.getProperties()).containsOnlyKeys("apiVersion", "kind", "metadata", "status");
    assertThat(root.getProperties().keySet())
        .containsExactly("apiVersion", "kind", "metadata", "status");
    JSONSchemaProps vlan =
        root.getProperties()
            .get("status")
            .getProperties()
            .get("current")
            .getProperties()
            .get("ips")
            .getItems()
            .getSchema()
            .getProperties()
            .get("vlan");
    assertThat(vlan.getFormat()).isEqualTo("int64");
  }

  @Test
  void leavesOtherCrdsAlone() {
    CustomResourceDefinition crd = generatedEndpointCrd();
    crd.getMetadata().setName("spidermultusconfigs.spiderpool.spidernet.io");
    CustomResourceDefinition before = new CustomResourceDefinitionBuilder(crd).build();

    new SpiderpoolCrdPostProcessor().process(crd, "v1");

    assertThat(crd).isEqualTo(before);
  }
}
