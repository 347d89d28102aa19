// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;

/**
 * Spiderpool's wording for a bad annotation ({@code wrong input, invalid format of Pod annotation
 * '<key>': <what>}), extended with an example of a valid value so the fix is in the message.
 */
final class AnnotationErrors {
  private AnnotationErrors() {}

  static InvalidInputException invalid(Owner owner, String key, String what, String example) {
    return new InvalidInputException(
        "wrong input, invalid format of "
            + owner.label
            + " annotation '"
            + key
            + "': "
            + what
            + "; write e.g. "
            + example);
  }

  /** Parses the JSON of an annotation; syntax errors are reported as a bad annotation. */
  static Object json(Owner owner, String key, String value, String example) {
    try {
      return JsonReader.parse(value);
    } catch (InvalidInputException notJson) {
      throw invalid(owner, key, notJson.getMessage(), example);
    }
  }

  /** Re-labels an error raised while reading the tree (wrong type, empty name...). */
  static InvalidInputException wrap(
      Owner owner, String key, InvalidInputException e, String example) {
    return invalid(owner, key, e.getMessage(), example);
  }

  /** Which kind of object carries the annotation. */
  enum Owner {
    POD("Pod"),
    NAMESPACE("Namespace");

    private final String label;

    Owner(String label) {
      this.label = label;
    }
  }
}
