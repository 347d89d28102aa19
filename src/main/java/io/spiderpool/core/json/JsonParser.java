// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One pass over one JSON text: structure (objects, arrays, depth); tokens in JsonTokens. */
final class JsonParser {
  private final JsonCursor in;
  private final int maxDepth;

  JsonParser(String text, int maxDepth) {
    this.in = new JsonCursor(text);
    this.maxDepth = maxDepth;
  }

  Object parseDocument() {
    in.skipWhitespace();
    Object value = parseValue(0);
    in.skipWhitespace();
    if (in.peek() != JsonCursor.END) {
      throw in.error(
          "expected end of input after the JSON value, found " + JsonCursor.describe(in.peek()));
    }
    return value;
  }

  private Object parseValue(int depth) {
    int c = in.peek();
    switch (c) {
      case '{':
        return parseObject(enter(depth));
      case '[':
        return parseArray(enter(depth));
      case '"':
        return JsonTokens.string(in);
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || JsonCursor.isDigit(c)) {
          return JsonTokens.number(in);
        }
        throw in.error(
            "expected a JSON value (object, array, string, number, true, false or"
                + " null), found "
                + JsonCursor.describe(c));
    }
  }

  private int enter(int depth) {
    if (depth >= maxDepth) {
      throw in.error("nesting deeper than " + maxDepth + " levels of objects and arrays");
    }
    return depth + 1;
  }

  private Map<String, Object> parseObject(int depth) {
    in.advance(1);
    Map<String, Object> members = new LinkedHashMap<>();
    in.skipWhitespace();
    if (in.peek() == '}') {
      in.advance(1);
      return Collections.unmodifiableMap(members);
    }
    while (true) {
      if (in.peek() != '"') {
        String want = members.isEmpty() ? "a string key or '}'" : "a string key after ','";
        throw in.error("expected " + want + ", found " + JsonCursor.describe(in.peek()));
      }
      int keyStart = in.position();
      String key = JsonTokens.string(in);
      if (members.containsKey(key)) {
        in.rewind(keyStart);
        throw in.error("duplicate key \"" + key + "\" in an object: write each key once");
      }
      in.skipWhitespace();
      // the message is built only on failure: a string concatenation on the success path would
      // bootstrap java.lang.invoke, which costs the CNI plugin process ~15 ms of its start-up
      if (in.peek() != ':') {
        in.expect(':', "':' after the key \"" + key + "\"");
      }
      in.advance(1);
      in.skipWhitespace();
      members.put(key, parseValue(depth));
      in.skipWhitespace();
      if (in.peek() == '}') {
        in.advance(1);
        return Collections.unmodifiableMap(members);
      }
      in.expect(',', "',' or '}' after an object member");
      in.skipWhitespace();
    }
  }

  private List<Object> parseArray(int depth) {
    in.advance(1);
    List<Object> items = new ArrayList<>();
    in.skipWhitespace();
    if (in.peek() == ']') {
      in.advance(1);
      return Collections.unmodifiableList(items);
    }
    while (true) {
      if (in.peek() == ']') {
        throw in.error("expected a JSON value after ',', found ']' (trailing commas are not JSON)");
      }
      items.add(parseValue(depth));
      in.skipWhitespace();
      if (in.peek() == ']') {
        in.advance(1);
        return Collections.unmodifiableList(items);
      }
      in.expect(',', "',' or ']' after an array element");
      in.skipWhitespace();
    }
  }

  private Object literal(String word, Object value) {
    if (!in.startsWith(word)) {
      throw in.error(
          "expected a JSON value, found "
              + JsonCursor.describe(in.peek())
              + " (did you mean "
              + word
              + "?)");
    }
    in.advance(word.length());
    return value;
  }
}
