// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spiderpool.core.admission.Mutation;
import java.util.List;
import java.util.Map;

/**
 * A {@link Mutation} as the RFC 6902 JSON Patch the API server applies. Only {@code add}
 * operations: on an existing member {@code add} replaces it, and the parents are created here when
 * absent, so the patch applies to the object exactly as it was sent.
 */
final class JsonPatch {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private JsonPatch() {}

  static ArrayNode of(JsonNode object, Mutation m) {
    ArrayNode ops = F.arrayNode();
    boolean hasSpec = object.path("spec").isObject();
    if (hasSpec) {
      if (m.ipVersion() != null) {
        add(ops, "/spec/ipVersion", F.numberNode(m.ipVersion()));
      }
      if (m.subnet() != null) {
        add(ops, "/spec/subnet", F.textNode(m.subnet()));
      }
      if (m.ips() != null) {
        add(ops, "/spec/ips", strings(m.ips()));
      }
      if (m.excludeIps() != null) {
        add(ops, "/spec/excludeIPs", strings(m.excludeIps()));
      }
    }
    JsonNode meta = object.path("metadata");
    if (!m.labels().isEmpty()) {
      if (meta.path("labels").isObject()) {
        for (Map.Entry<String, String> e : m.labels().entrySet()) {
          add(ops, "/metadata/labels/" + escape(e.getKey()), F.textNode(e.getValue()));
        }
      } else {
        ObjectNode labels = F.objectNode();
        m.labels().forEach(labels::put);
        add(ops, "/metadata/labels", labels);
      }
    }
    if (m.finalizer() != null) {
      if (meta.path("finalizers").isArray()) {
        add(ops, "/metadata/finalizers/-", F.textNode(m.finalizer()));
      } else {
        add(ops, "/metadata/finalizers", strings(List.of(m.finalizer())));
      }
    }
    return ops;
  }

  private static void add(ArrayNode ops, String path, JsonNode value) {
    ops.addObject().put("op", "add").put("path", path).set("value", value);
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = F.arrayNode();
    values.forEach(a::add);
    return a;
  }

  /** RFC 6901: {@code ~} → {@code ~0}, {@code /} → {@code ~1}. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
