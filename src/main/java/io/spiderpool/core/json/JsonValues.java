// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import io.spiderpool.core.error.InvalidInputException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a generic tree ({@link JsonReader} output, or a YAML document loaded at the
 * edge) with errors that name the path and the type found, so a wrong annotation or ConfigMap value
 * never surfaces as a ClassCastException or NullPointerException.
 *
 * <p>Paths are written the way a user would point at the value: {@code ipv4[1]}, {@code
 * [0].interface}, {@code podResourceInject.enabled}.
 */
public final class JsonValues {
  private JsonValues() {}

  /** A type as messages name it: null, string, number, boolean, object, array. */
  public static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof List<?>) {
      return "an array";
    }
    return "a " + v.getClass().getSimpleName();
  }

  /**
   * The value of member {@code name}, or null when absent. Matching ignores case, as Go's
   * encoding/json does for struct fields, so {@code "IPv4"} reads like {@code "ipv4"}; two keys
   * that differ only in case are refused instead of letting the last one win silently.
   */
  public static Object field(Map<String, Object> object, String name) {
    String found = null;
    for (String key : object.keySet()) {
      if (key.equalsIgnoreCase(name)) {
        if (found != null) {
          throw new InvalidInputException(
              "keys \"" + found + "\" and \"" + key + "\" both set " + name + ": write it once");
        }
        found = key;
      }
    }
    return found == null ? null : object.get(found);
  }

  /** {@code v} as an object with string keys. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asObject(Object v, String path) {
    if (!(v instanceof Map<?, ?> map)) {
      throw wrongType(path, "an object", v);
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        throw new InvalidInputException(
            path + " has the key " + key + " (" + typeName(key) + "): keys must be strings");
      }
    }
    return (Map<String, Object>) map;
  }

  /** {@code v} as an array. */
  @SuppressWarnings("unchecked")
  public static List<Object> asArray(Object v, String path) {
    if (!(v instanceof List<?>)) {
      throw wrongType(path, "an array", v);
    }
    return (List<Object>) v;
  }

  /** {@code v} as a string. */
  public static String asString(Object v, String path) {
    if (!(v instanceof String s)) {
      throw wrongType(path, "a string", v);
    }
    return s;
  }

  /** {@code v} as a boolean (true/false only; the string "true" is not a boolean). */
  public static boolean asBoolean(Object v, String path) {
    if (!(v instanceof Boolean b)) {
      throw wrongType(path, "a boolean (true or false)", v);
    }
    return b;
  }

  /** {@code v} as an int: an integral number in int range. */
  public static int asInt(Object v, String path) {
    BigInteger n = integral(v);
    if (n == null) {
      throw wrongType(path, "an integer", v);
    }
    if (n.bitLength() > 31) {
      throw new InvalidInputException(
          path
              + " is "
              + n
              + ", which is out of range: write an"
              + " integer between "
              + Integer.MIN_VALUE
              + " and "
              + Integer.MAX_VALUE);
    }
    return n.intValue();
  }

  private static BigInteger integral(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigInteger.valueOf(((Number) v).longValue());
    }
    return v instanceof BigInteger b ? b : null;
  }

  /** {@code v} as a list of strings; null (absent, or JSON null) is an empty list. */
  public static List<String> asStringList(Object v, String path) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> items)) {
      throw wrongType(path, "an array of strings", v);
    }
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(asString(items.get(i), path + "[" + i + "]"));
    }
    return Collections.unmodifiableList(out);
  }

  private static InvalidInputException wrongType(String path, String expected, Object found) {
    return new InvalidInputException(path + " must be " + expected + ", not " + typeName(found));
  }
}
