// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Kubernetes label selector ({@code matchLabels} + {@code matchExpressions}), as a core value so
 * affinity checks need no Kubernetes library. Semantics are apimachinery's {@code
 * LabelSelectorAsSelector}: all requirements are ANDed; the empty selector {@code {}} matches
 * everything; a null selector matches nothing ({@link #matches(LabelSelector, Map)}). Spiderpool
 * only consults a pool's affinity when it is set, so callers usually skip null.
 */
public final class LabelSelector {
  /** The empty selector {@code {}}: matches every label set. */
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  private final Map<String, String> matchLabels;
  private final List<LabelRequirement> matchExpressions;

  private LabelSelector(Map<String, String> matchLabels, List<LabelRequirement> matchExpressions) {
    this.matchLabels = matchLabels;
    this.matchExpressions = matchExpressions;
  }

  /**
   * A validated selector; null arguments mean "none".
   *
   * @throws InvalidInputException for an invalid key, value or operator
   */
  public static LabelSelector of(
      Map<String, String> matchLabels, List<LabelRequirement> matchExpressions) {
    Map<String, String> labels = new TreeMap<>();
    if (matchLabels != null) {
      matchLabels.forEach(
          (k, v) -> {
            LabelSyntax.checkKey(k);
            LabelSyntax.checkValue(k, v);
            labels.put(k, v);
          });
    }
    List<LabelRequirement> exprs =
        matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    return new LabelSelector(Collections.unmodifiableMap(labels), exprs);
  }

  /** A selector requiring exactly these labels. */
  public static LabelSelector matchLabels(Map<String, String> matchLabels) {
    return of(matchLabels, List.of());
  }

  /**
   * Reads a selector from a generic tree ({@code {"matchLabels":{..},"matchExpressions":[..]}}),
   * e.g. from a ConfigMap; {@code path} names it in errors.
   */
  public static LabelSelector fromTree(Object tree, String path) {
    Map<String, Object> obj = JsonValues.asObject(tree, path);
    Map<String, String> labels = new TreeMap<>();
    Object rawLabels = JsonValues.field(obj, "matchLabels");
    if (rawLabels != null) {
      JsonValues.asObject(rawLabels, path + ".matchLabels")
          .forEach((k, v) -> labels.put(k, JsonValues.asString(v, path + ".matchLabels." + k)));
    }
    List<LabelRequirement> exprs = new ArrayList<>();
    Object rawExprs = JsonValues.field(obj, "matchExpressions");
    List<Object> items =
        rawExprs == null ? List.of() : JsonValues.asArray(rawExprs, path + ".matchExpressions");
    for (int i = 0; i < items.size(); i++) {
      String at = path + ".matchExpressions[" + i + "]";
      Map<String, Object> e = JsonValues.asObject(items.get(i), at);
      String key = JsonValues.asString(JsonValues.field(e, "key"), at + ".key");
      String op = JsonValues.asString(JsonValues.field(e, "operator"), at + ".operator");
      List<String> values = JsonValues.asStringList(JsonValues.field(e, "values"), at + ".values");
      try {
        exprs.add(LabelRequirement.of(key, op, values));
      } catch (InvalidInputException invalid) {
        throw invalid.in(at);
      }
    }
    try {
      return of(labels, exprs);
    } catch (InvalidInputException invalid) {
      throw invalid.in(path + ".matchLabels");
    }
  }

  /** apimachinery semantics for a possibly-null selector: null matches nothing. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    return selector != null && selector.matches(labels);
  }

  /** Whether every requirement holds for {@code labels} (null labels = no labels). */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> ls = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(ls.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelRequirement r : matchExpressions) {
      if (!r.matches(ls)) {
        return false;
      }
    }
    return true;
  }

  /** True for {@code {}}, which matches everything. */
  public boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  /** The required labels, sorted by key. */
  public Map<String, String> matchLabels() {
    return matchLabels;
  }

  public List<LabelRequirement> matchExpressions() {
    return matchExpressions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector s
        && s.matchLabels.equals(matchLabels)
        && s.matchExpressions.equals(matchExpressions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(matchLabels, matchExpressions);
  }

  /** kubectl's selector syntax: {@code app=web,tier in (a,b),!legacy}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    matchLabels.forEach((k, v) -> parts.add(k + "=" + v));
    matchExpressions.forEach(r -> parts.add(r.toString()));
    return String.join(",", parts);
  }
}
