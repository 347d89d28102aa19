// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.crdv2.generator.CRDUtils;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresources;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.spiderpool.k8s.api.NoStatusSubresource;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Brings the CRDs fabric8 generates for {@link SpiderpoolApi#KINDS} in line with Spiderpool's, for
 * what annotations cannot express. Registered with {@code quarkus.operator-sdk.crd.post-processor};
 * runs at build time only.
 *
 * <ul>
 *   <li>{@code names.listKind} written out;
 *   <li>printer columns in the order the class declares them (fabric8 sorts them by JSON path,
 *       which would reorder {@code kubectl get} output), without the explicit {@code priority: 0};
 *   <li>no {@code /status} subresource for {@link NoStatusSubresource} kinds, and {@code
 *       subresources: {}} when there is none, as controller-gen writes it;
 *   <li>{@code apiVersion}, {@code kind} and {@code metadata} in the root schema, and no {@code
 *       spec}/{@code status} property for a {@code Void} type argument;
 *   <li>{@code format: int64} on every integer: all of them are Java {@code Long} / Go {@code
 *       int64}.
 * </ul>
 */
public final class SpiderpoolCrdPostProcessor implements CRDPostProcessor {

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (crd instanceof CustomResourceDefinition definition) {
      kindOf(definition).ifPresent(kind -> conform(definition, kind));
    }
    return crd;
  }

  private static Optional<Class<? extends HasMetadata>> kindOf(CustomResourceDefinition crd) {
    return SpiderpoolApi.KINDS.stream()
        .filter(kind -> CustomResource.getCRDName(kind).equals(crd.getMetadata().getName()))
        .findFirst();
  }

  private static void conform(CustomResourceDefinition crd, Class<?> kind) {
    // the API server defaults it the same way; controller-gen writes it out
    crd.getSpec().getNames().setListKind(crd.getSpec().getNames().getKind() + "List");
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      orderPrinterColumns(version, kind);
      fixSubresources(version, kind);
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      fixRootProperties(root, kind);
      markIntegersInt64(root);
    }
  }

  private static void orderPrinterColumns(CustomResourceDefinitionVersion version, Class<?> kind) {
    List<String> declared =
        Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::jsonPath)
            .toList();
    List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
    if (columns == null) {
      return;
    }
    columns.sort(Comparator.comparingInt(c -> rank(declared, c.getJsonPath())));
    columns.stream()
        .filter(c -> Integer.valueOf(0).equals(c.getPriority()))
        .forEach(c -> c.setPriority(null));
  }

  private static int rank(List<String> declared, String jsonPath) {
    int index = declared.indexOf(jsonPath);
    return index < 0 ? declared.size() : index;
  }

  private static void fixSubresources(CustomResourceDefinitionVersion version, Class<?> kind) {
    if (version.getSubresources() == null) {
      version.setSubresources(new CustomResourceSubresources());
    }
    if (kind.isAnnotationPresent(NoStatusSubresource.class)) {
      version.getSubresources().setStatus(null);
    }
  }

  /**
   * controller-gen lists the object-meta fields in the root schema and omits {@code spec} or {@code
   * status} when the Go type has none; fabric8 does the opposite (a {@code Void} type becomes an
   * empty object property).
   */
  private static void fixRootProperties(JSONSchemaProps root, Class<?> kind) {
    Map<String, JSONSchemaProps> properties = new TreeMap<>(root.getProperties());
    properties.putIfAbsent("apiVersion", new JSONSchemaPropsBuilder().withType("string").build());
    properties.putIfAbsent("kind", new JSONSchemaPropsBuilder().withType("string").build());
    properties.putIfAbsent("metadata", new JSONSchemaPropsBuilder().withType("object").build());
    CRDUtils.SpecAndStatus types = CRDUtils.resolveSpecAndStatusTypes(kind);
    if (types.getSpecClassName() == null) {
      properties.remove("spec");
    }
    if (types.getStatusClassName() == null) {
      properties.remove("status");
    }
    root.setProperties(new LinkedHashMap<>(properties));
  }

  private static void markIntegersInt64(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    if ("integer".equals(schema.getType()) && schema.getFormat() == null) {
      schema.setFormat("int64");
    }
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(SpiderpoolCrdPostProcessor::markIntegersInt64);
    }
    if (schema.getItems() != null) {
      markIntegersInt64(schema.getItems().getSchema());
    }
    if (schema.getAdditionalProperties() != null) {
      markIntegersInt64(schema.getAdditionalProperties().getSchema());
    }
  }
}
