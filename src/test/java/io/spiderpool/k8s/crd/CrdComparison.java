// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lists every difference a Spiderpool user could notice between two CRDs: group, scope, names,
 * versions, subresources, printer columns (in order), and for each schema path its type, format,
 * enum, default, bounds, required list and Kubernetes extensions.
 *
 * <p>Not compared: {@code description} texts (documentation, see docs/crds.md) and the CRD's own
 * metadata (controller-gen's version annotation). Order-free lists (required, enum, short names,
 * categories) compare as sets, numbers by value ({@code 0} = {@code 0.0}), an absent printer column
 * priority as {@code 0} and absent {@code subresources} as {@code {}}.
 */
final class CrdComparison {

  private static final Set<String> NESTED = Set.of("properties", "items", "additionalProperties");
  private static final Set<String> UNORDERED =
      Set.of("required", "enum", "shortNames", "categories");

  private CrdComparison() {}

  /** Differences of {@code ours} from {@code spiderpool}, one readable line each. */
  static List<String> differences(JsonNode spiderpool, JsonNode ours) {
    List<String> out = new ArrayList<>();
    JsonNode a = spiderpool.path("spec");
    JsonNode b = ours.path("spec");
    compare(out, "spec.group", a.path("group"), b.path("group"));
    compare(out, "spec.scope", a.path("scope"), b.path("scope"));
    for (String field : union(a.path("names"), b.path("names"))) {
      compare(out, "spec.names." + field, a.path("names").path(field), b.path("names").path(field));
    }
    Map<String, JsonNode> theirVersions = byName(a.path("versions"));
    Map<String, JsonNode> ourVersions = byName(b.path("versions"));
    for (String name : union(theirVersions.keySet(), ourVersions.keySet())) {
      JsonNode va = theirVersions.get(name);
      JsonNode vb = ourVersions.get(name);
      if (va == null || vb == null) {
        out.add("version " + name + ": only in " + (va == null ? "ours" : "Spiderpool's"));
        continue;
      }
      compareVersion(out, "version " + name, va, vb);
    }
    return out;
  }

  private static void compareVersion(List<String> out, String where, JsonNode a, JsonNode b) {
    compare(out, where + " served", a.path("served"), b.path("served"));
    compare(out, where + " storage", a.path("storage"), b.path("storage"));
    compare(out, where + " subresources", subresources(a), subresources(b));
    List<String> columnsA = columns(a.path("additionalPrinterColumns"));
    List<String> columnsB = columns(b.path("additionalPrinterColumns"));
    if (!columnsA.equals(columnsB)) {
      out.add(where + " printer columns: Spiderpool " + columnsA + ", ours " + columnsB);
    }
    Map<String, Map<String, String>> schemaA = new TreeMap<>();
    Map<String, Map<String, String>> schemaB = new TreeMap<>();
    flatten(a.path("schema").path("openAPIV3Schema"), "", schemaA);
    flatten(b.path("schema").path("openAPIV3Schema"), "", schemaB);
    for (String path : union(schemaA.keySet(), schemaB.keySet())) {
      Map<String, String> pa = schemaA.get(path);
      Map<String, String> pb = schemaB.get(path);
      if (pa == null || pb == null) {
        out.add(where + " schema " + path + ": only in " + (pa == null ? "ours" : "Spiderpool's"));
        continue;
      }
      for (String key : union(pa.keySet(), pb.keySet())) {
        if (!Objects.equals(pa.get(key), pb.get(key))) {
          out.add(
              where
                  + " schema "
                  + path
                  + " "
                  + key
                  + ": Spiderpool "
                  + pa.get(key)
                  + ", ours "
                  + pb.get(key));
        }
      }
    }
  }

  /** Path → (keyword → normalized value) for every node of a schema, descriptions left out. */
  static void flatten(JsonNode schema, String path, Map<String, Map<String, String>> out) {
    Map<String, String> keywords = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!NESTED.contains(e.getKey()) && !e.getKey().equals("description")) {
        keywords.put(e.getKey(), normalize(e.getKey(), e.getValue()));
      }
    }
    out.put(path.isEmpty() ? "." : path, keywords);
    schema
        .path("properties")
        .fields()
        .forEachRemaining(e -> flatten(e.getValue(), path + "." + e.getKey(), out));
    if (schema.path("items").isObject()) {
      flatten(schema.path("items"), path + "[]", out);
    }
    if (schema.path("additionalProperties").isObject()) {
      flatten(schema.path("additionalProperties"), path + "{}", out);
    }
  }

  private static String normalize(String key, JsonNode value) {
    if (value.isNumber()) {
      return value.decimalValue().stripTrailingZeros().toPlainString();
    }
    if (value.isArray() && UNORDERED.contains(key)) {
      Set<String> sorted = new TreeSet<>();
      value.forEach(v -> sorted.add(normalize("", v)));
      return sorted.toString();
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(normalize("", v)));
      return items.toString();
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static List<String> columns(JsonNode columns) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : columns) {
      out.add(
          c.path("name").asText()
              + "("
              + c.path("jsonPath").asText()
              + " "
              + c.path("type").asText()
              + " priority="
              + c.path("priority").asInt(0)
              + (c.has("format") ? " format=" + c.path("format").asText() : "")
              + " description="
              + c.path("description").asText()
              + ")");
    }
    return out;
  }

  private static JsonNode subresources(JsonNode version) {
    JsonNode sub = version.path("subresources");
    return sub.isMissingNode() ? JsonNodeFactory.instance.objectNode() : sub;
  }

  private static void compare(List<String> out, String what, JsonNode a, JsonNode b) {
    String na = a.isMissingNode() ? null : normalize(lastSegment(what), a);
    String nb = b.isMissingNode() ? null : normalize(lastSegment(what), b);
    if (!Objects.equals(na, nb)) {
      out.add(what + ": Spiderpool " + na + ", ours " + nb);
    }
  }

  private static String lastSegment(String what) {
    return what.substring(what.lastIndexOf('.') + 1);
  }

  private static Map<String, JsonNode> byName(JsonNode versions) {
    Map<String, JsonNode> out = new TreeMap<>();
    versions.forEach(v -> out.put(v.path("name").asText(), v));
    return out;
  }

  private static Set<String> union(JsonNode a, JsonNode b) {
    Set<String> names = new TreeSet<>();
    a.fieldNames().forEachRemaining(names::add);
    b.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> names = new TreeSet<>(a);
    names.addAll(b);
    return names;
  }
}
