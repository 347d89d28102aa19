// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api.schema;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import java.util.List;
import java.util.Map;

/**
 * Schema-only stand-in for {@code metav1.LabelSelector} (used with {@code @SchemaFrom}): fabric8's
 * {@code LabelSelector} model yields neither the required {@code key}/{@code operator} of a
 * requirement nor the atomic map/list markers Kubernetes' own schema (and Spiderpool's CRDs) carry.
 * Never instantiated.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY)
@SchemaCustomizer(
    value = JsonMergePatchCustomizer.class,
    input =
        "{\"x-kubernetes-map-type\":\"atomic\","
            + "\"properties\":{\"matchExpressions\":{\"x-kubernetes-list-type\":\"atomic\"}}}")
public final class LabelSelectorSchema {

  private List<LabelSelectorRequirementSchema> matchExpressions;

  private Map<String, String> matchLabels;

  private LabelSelectorSchema() {}
}
