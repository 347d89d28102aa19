// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.spiderpool.core.admission.AddressSpec;
import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import io.spiderpool.core.admission.Rejection;
import io.spiderpool.core.admission.RouteSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the fields the admission rules need from an object's JSON (an AdmissionReview's {@code
 * object}, or a listed object turned into a tree). Reading the tree, not a model class, keeps a
 * field of the wrong type a validation message instead of a 400.
 */
final class ObjectReader {
  private ObjectReader() {}

  static AdmissionObject read(AdmissionKind kind, JsonNode o) {
    JsonNode meta = o.path("metadata");
    JsonNode spec = o.path("spec");
    JsonNode status = o.path("status");
    expect(meta, "metadata", JsonNodeType.OBJECT);
    expect(meta.path("labels"), "metadata.labels", JsonNodeType.OBJECT);
    expect(meta.path("finalizers"), "metadata.finalizers", JsonNodeType.ARRAY);
    expect(spec, "spec", JsonNodeType.OBJECT);
    expect(spec.path("ipVersion"), "spec.ipVersion", JsonNodeType.NUMBER);
    expect(spec.path("subnet"), "spec.subnet", JsonNodeType.STRING);
    expect(spec.path("ips"), "spec.ips", JsonNodeType.ARRAY);
    expect(spec.path("excludeIPs"), "spec.excludeIPs", JsonNodeType.ARRAY);
    expect(spec.path("gateway"), "spec.gateway", JsonNodeType.STRING);
    expect(spec.path("routes"), "spec.routes", JsonNodeType.ARRAY);
    AddressSpec s =
        new AddressSpec(
            spec.path("ipVersion").isIntegralNumber() ? spec.path("ipVersion").asLong() : null,
            text(spec.path("subnet")),
            strings(spec.path("ips")),
            strings(spec.path("excludeIPs")),
            text(spec.path("gateway")),
            routes(spec.path("routes")),
            emptySelector(spec.path("podAffinity")));
    Map<String, String> labels = new LinkedHashMap<>();
    meta.path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> finalizers = strings(meta.path("finalizers"));
    JsonNode affinity = spec.path("podAffinity");
    Map<String, String> affinityLabels = null;
    if (affinity.isObject()) {
      affinityLabels = new LinkedHashMap<>();
      Map<String, String> into = affinityLabels;
      affinity
          .path("matchLabels")
          .fields()
          .forEachRemaining(e -> into.put(e.getKey(), e.getValue().asText()));
    }
    return new AdmissionObject(
        kind,
        meta.path("name").asText(""),
        labels,
        finalizers == null ? List.of() : finalizers,
        !meta.path("deletionTimestamp").isMissingNode() && !meta.path("deletionTimestamp").isNull(),
        s,
        text(status.path("allocatedIPs")),
        status.path("allocatedIPCount").asLong(0),
        affinityLabels,
        affinity.path("matchExpressions").size(),
        text(status.path("controlledIPPools")));
  }

  /**
   * A field present with another JSON type than its schema's is refused by name (422): reading it
   * as absent would admit, or patch, an object other than the one sent. The API server's own schema
   * check runs after the mutating webhooks, so they do see such objects.
   */
  private static void expect(JsonNode n, String where, JsonNodeType type) {
    if (n.isMissingNode() || n.isNull() || n.getNodeType() == type) {
      return;
    }
    throw new Rejection(
        Rejection.INVALID,
        where
            + " must be "
            + typeName(type)
            + ", not "
            + typeName(n.getNodeType())
            + ": fix the field's type");
  }

  private static String typeName(JsonNodeType t) {
    return switch (t) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> t.name().toLowerCase(Locale.ROOT);
    };
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }

  /** The list, or null when absent; non-string entries become their JSON text (then rejected). */
  private static List<String> strings(JsonNode n) {
    if (!n.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>(n.size());
    n.forEach(e -> out.add(e.isTextual() ? e.asText() : e.toString()));
    return out;
  }

  private static List<RouteSpec> routes(JsonNode n) {
    if (!n.isArray()) {
      return null;
    }
    List<RouteSpec> out = new ArrayList<>(n.size());
    n.forEach(r -> out.add(new RouteSpec(text(r.path("dst")), text(r.path("gw")))));
    return out;
  }

  private static boolean emptySelector(JsonNode n) {
    return n.isObject()
        && n.path("matchLabels").size() == 0
        && n.path("matchExpressions").size() == 0;
  }
}
