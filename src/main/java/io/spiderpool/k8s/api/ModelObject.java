// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every object nested in a Spiderpool resource: keeps the fields this version does not
 * know, so that a read-modify-write of an object written by a newer Spiderpool does not drop them
 * (the same contract as fabric8's generated model classes).
 *
 * <p>Unknown fields never appear in the generated CRD schema; the API server prunes what the
 * installed schema does not declare.
 */
public abstract class ModelObject {

  private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

  /** Fields read from YAML/JSON that this class does not model, in document order. */
  @JsonAnyGetter
  public Map<String, Object> getAdditionalProperties() {
    return additionalProperties;
  }

  /** Keeps an unknown field for the next serialization. */
  @JsonAnySetter
  public void setAdditionalProperty(String name, Object value) {
    additionalProperties.put(name, value);
  }

  /** Equality of the unknown fields; subclasses combine it with their own fields. */
  protected boolean sameAdditionalProperties(ModelObject other) {
    return additionalProperties.equals(other.additionalProperties);
  }
}
