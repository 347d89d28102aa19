// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Spiderpool-shaped YAML from {@code src/test/resources/crds/}, read the way the client does. */
final class Fixtures {

  /** The serialization the fabric8 client uses (YAML and JSON). */
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Fixtures() {}

  /** The text of fixture {@code name}. */
  static String yaml(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/crds/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture src/test/resources/crds/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fixture {@code name} deserialized as {@code type}. */
  static <T> T load(String name, Class<T> type) {
    return SERIALIZATION.unmarshal(yaml(name), type);
  }

  /**
   * A JSON tree of {@code value} (an object or a YAML/JSON string) in which equal numbers are equal
   * nodes: going through JSON text makes YAML's {@code 4} and Java's {@code 4L} both an int.
   */
  static JsonNode tree(Object value) {
    String json =
        value instanceof String text
            ? SERIALIZATION.asJson(SERIALIZATION.unmarshal(text, JsonNode.class))
            : SERIALIZATION.asJson(value);
    return SERIALIZATION.unmarshal(json, JsonNode.class);
  }

  /** The model class of a Spiderpool-shaped YAML document (asserts it is ours). */
  static Class<? extends HasMetadata> kindOf(String yaml) {
    JsonNode tree = Fixtures.tree(yaml);
    assertThat(tree.path("apiVersion").asText())
        .isEqualTo(SpiderpoolApi.GROUP + "/" + SpiderpoolApi.VERSION);
    String kind = tree.path("kind").asText();
    return SpiderpoolApi.KINDS.stream()
        .filter(k -> HasMetadata.getKind(k).equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("fixture of unknown kind " + kind));
  }
}
