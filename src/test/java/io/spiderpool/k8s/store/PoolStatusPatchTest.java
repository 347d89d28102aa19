// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The merge-patch body and the one field read back from the API server's answer. */
class PoolStatusPatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theBodyCarriesTheVersionAndTheRecordsAsOneString() throws Exception {
    String records = "{\"10.0.0.1\":{\"pod\":\"ns/a\",\"podUid\":\"u\\\\1\"}}";
    JsonNode body = JSON.readTree(PoolStatusPatch.body("42", records, 1, 254L));
    assertThat(body.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
    assertThat(body.path("metadata").size()).isEqualTo(1);
    assertThat(body.path("status").path("allocatedIPs").isTextual()).isTrue();
    assertThat(body.path("status").path("allocatedIPs").asText()).isEqualTo(records);
    assertThat(body.path("status").path("allocatedIPCount").asLong()).isEqualTo(1);
    assertThat(body.path("status").path("totalIPCount").asLong()).isEqualTo(254);
    assertThat(body.has("spec")).isFalse();
  }

  @Test
  void noRecordsRemoveTheFieldAndAnUnknownTotalIsLeftAlone() throws Exception {
    JsonNode body = JSON.readTree(PoolStatusPatch.body("7", null, 0, null));
    assertThat(body.path("status").has("allocatedIPs")).isTrue();
    assertThat(body.path("status").path("allocatedIPs").isNull()).isTrue();
    assertThat(body.path("status").path("allocatedIPCount").asLong()).isZero();
    assertThat(body.path("status").has("totalIPCount")).isFalse();
  }

  @Test
  void theVersionIsReadFromMetadataOnly() {
    // API servers sort the keys of custom objects: annotations come before resourceVersion, and
    // an annotation may even be called resourceVersion; status strings may contain the word
    String answer =
        "{\"apiVersion\":\"spiderpool.spidernet.io/v2beta1\",\"kind\":\"SpiderIPPool\","
            + "\"metadata\":{\"annotations\":{\"resourceVersion\":\"1\"},"
            + "\"managedFields\":[{\"fieldsV1\":{\"f:status\":{}}}],\"name\":\"p\","
            + "\"resourceVersion\":\"12345\",\"uid\":\"x\"},"
            + "\"spec\":{\"ips\":[\"10.0.0.1\"]},"
            + "\"status\":{\"allocatedIPs\":\"{\\\"resourceVersion\\\":\\\"9\\\"}\"}}";
    assertThat(PoolStatusPatch.resourceVersion(answer.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("12345");
  }

  @Test
  void anAnswerWithoutOneGivesNull() {
    assertThat(PoolStatusPatch.resourceVersion("{\"kind\":\"Status\"}".getBytes())).isNull();
    assertThat(PoolStatusPatch.resourceVersion("[1]".getBytes())).isNull();
    assertThat(PoolStatusPatch.resourceVersion("{\"metadata\":".getBytes())).isNull();
  }
}
