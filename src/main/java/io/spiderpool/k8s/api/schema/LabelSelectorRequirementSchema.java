// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api.schema;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * Schema-only stand-in for {@code metav1.LabelSelectorRequirement}; see {@link
 * LabelSelectorSchema}. Never instantiated.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY)
@SchemaCustomizer(
    value = JsonMergePatchCustomizer.class,
    input = "{\"properties\":{\"values\":{\"x-kubernetes-list-type\":\"atomic\"}}}")
public final class LabelSelectorRequirementSchema {

  @Required private String key;

  @Required private String operator;

  private List<String> values;

  private LabelSelectorRequirementSchema() {}
}
