// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * One {@code matchExpressions} entry of a Kubernetes label selector, validated as apimachinery's
 * {@code NewRequirement} validates it: a qualified key, valid label values, at least one value for
 * In/NotIn and none for Exists/DoesNotExist.
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

  /** The four operators a {@code LabelSelector} may use (Gt/Lt exist only for node selectors). */
  public enum Operator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    private final String wireName;

    Operator(String wireName) {
      this.wireName = wireName;
    }

    /** The operator as written in YAML: In, NotIn, Exists, DoesNotExist (case-sensitive). */
    public String wireName() {
      return wireName;
    }

    /** Parses a wire name; anything else is refused, listing the valid names. */
    public static Operator parse(String text) {
      for (Operator op : values()) {
        if (op.wireName.equals(text)) {
          return op;
        }
      }
      throw new InvalidInputException(
          LabelSyntax.quote(text)
              + " is not a valid label selector"
              + " operator: use In, NotIn, Exists or DoesNotExist");
    }
  }

  public LabelRequirement {
    LabelSyntax.checkKey(key);
    if (operator == null) {
      throw new InvalidInputException(
          "label selector requirement on key "
              + LabelSyntax.quote(key)
              + " has no operator: use In, NotIn, Exists or DoesNotExist");
    }
    values = values == null ? List.of() : List.copyOf(values);
    boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      throw new InvalidInputException(
          "operator "
              + operator.wireName
              + " on key "
              + LabelSyntax.quote(key)
              + " needs at least one value");
    }
    if (!needsValues && !values.isEmpty()) {
      throw new InvalidInputException(
          "operator "
              + operator.wireName
              + " on key "
              + LabelSyntax.quote(key)
              + " takes no values, but "
              + values
              + " were given");
    }
    for (String v : values) {
      LabelSyntax.checkValue(key, v);
    }
  }

  /** A requirement from wire strings, e.g. {@code of("tier", "In", List.of("web"))}. */
  public static LabelRequirement of(String key, String operator, List<String> values) {
    return new LabelRequirement(key, Operator.parse(operator), values);
  }

  /** Whether {@code labels} satisfy this requirement (NotIn also matches an absent key). */
  public boolean matches(Map<String, String> labels) {
    boolean has = labels.containsKey(key);
    return switch (operator) {
      case IN -> has && values.contains(labels.get(key));
      case NOT_IN -> !has || !values.contains(labels.get(key));
      case EXISTS -> has;
      case DOES_NOT_EXIST -> !has;
    };
  }

  @Override
  public String toString() {
    return switch (operator) {
      case IN -> key + " in (" + String.join(",", values) + ")";
      case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
      case EXISTS -> key;
      case DOES_NOT_EXIST -> "!" + key;
    };
  }
}
