// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spiderpool.core.admission.SubnetFeatureRules;
import io.spiderpool.core.admission.Validator;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Fuzz target: AdmissionReview bodies to every webhook path (docs/reliability.md, "Fuzzing"), half
 * of them built around a well-formed review so the fuzzer reaches the rules. Property: HTTP 400
 * with a message, or 200 with a v1 review whose response is allowed, or denied with a status code
 * and a message; never an exception, never Java exception text; the answer names the request's uid.
 */
class AdmissionReviewFuzzTest {
  private static final String[] PATHS = {
    "/mutate-spiderpool-spidernet-io-v2beta1-spiderippool",
    "/validate-spiderpool-spidernet-io-v2beta1-spiderippool",
    "/mutate-spiderpool-spidernet-io-v2beta1-spidersubnet",
    "/validate-spiderpool-spidernet-io-v2beta1-spidersubnet",
    "/mutate-spiderpool-spidernet-io-v2beta1-spiderreservedip",
    "/validate-spiderpool-spidernet-io-v2beta1-spiderreservedip"
  };
  private static final String[] KINDS = {"SpiderIPPool", "SpiderSubnet", "SpiderReservedIP"};
  private static final String[] OPS = {"CREATE", "UPDATE", "DELETE"};

  private static AdmissionHandler handler;

  private static synchronized AdmissionHandler handler() {
    if (handler == null) {
      OverlapGuardTest.Stored stored = new OverlapGuardTest.Stored();
      OverlapGuard guard =
          new OverlapGuard(
              stored,
              new OverlapGuardTest.MemoryClaims(),
              Duration.ofSeconds(30),
              Clock.systemUTC());
      handler =
          new AdmissionHandler(
              new Validator(ClusterConfig.DEFAULTS),
              guard,
              new ClaimFollower(
                  stored, guard, Executors.newSingleThreadScheduledExecutor(), Clock.systemUTC()),
              new SubnetFeatureRules(ClusterConfig.DEFAULTS),
              stored);
    }
    return handler;
  }

  /** A spec object of fuzzed field values (JSON-escaped). */
  private static String spec(FuzzedDataProvider data) {
    StringBuilder b = new StringBuilder("{");
    if (data.consumeBoolean()) {
      b.append("\"ipVersion\":").append(data.consumeInt(0, 7)).append(',');
    }
    b.append("\"subnet\":").append(JsonWriter.write(data.consumeString(50)));
    b.append(",\"ips\":[")
        .append(JsonWriter.write(data.consumeString(50)))
        .append(',')
        .append(JsonWriter.write(data.consumeString(50)))
        .append(']');
    if (data.consumeBoolean()) {
      b.append(",\"excludeIPs\":[").append(JsonWriter.write(data.consumeString(50))).append(']');
    }
    if (data.consumeBoolean()) {
      b.append(",\"gateway\":").append(JsonWriter.write(data.consumeString(50)));
    }
    if (data.consumeBoolean()) {
      b.append(",\"routes\":[{\"dst\":")
          .append(JsonWriter.write(data.consumeString(50)))
          .append(",\"gw\":")
          .append(JsonWriter.write(data.consumeString(50)))
          .append("}]");
    }
    return b.append('}').toString();
  }

  @FuzzTest(maxDuration = "60s")
  void everyBodyIsA400OrAnAnsweredReview(FuzzedDataProvider data) throws IOException {
    String path = data.pickValue(PATHS);
    byte[] body;
    if (data.consumeBoolean()) {
      body = data.consumeRemainingAsBytes();
    } else {
      // a review around a spec made of fuzzed values, so inputs get past the JSON parser (not
      // instrumented) into the rules; every third one a raw spec text
      String spec = data.consumeInt(0, 2) == 0 ? data.consumeString(300) : spec(data);
      String old =
          data.consumeBoolean()
              ? "{\"metadata\":{\"name\":\"o1\"},\"spec\":" + spec(data) + "}"
              : "null";
      body =
          ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
                  + "{\"uid\":\"u-1\",\"kind\":{\"kind\":\""
                  + data.pickValue(KINDS)
                  + "\"},\"operation\":\""
                  + data.pickValue(OPS)
                  + "\",\"name\":\"o1\",\"object\":{\"metadata\":{\"name\":\"o1\"},\"spec\":"
                  + spec
                  + "},\"oldObject\":"
                  + old
                  + "}}")
              .getBytes(StandardCharsets.UTF_8);
    }
    AdmissionHandler.Reply r = handler().respond(path, "POST", new ByteArrayInputStream(body));
    assertThat(r.status()).as(r.body()).isIn(200, 400);
    assertThat(r.body()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    if (r.status() == 200) {
      @SuppressWarnings("unchecked")
      Map<String, Object> review = (Map<String, Object>) JsonReader.parse(r.body());
      @SuppressWarnings("unchecked")
      Map<String, Object> response = (Map<String, Object>) review.get("response");
      assertThat(response.get("uid")).isNotNull();
      if (Boolean.FALSE.equals(response.get("allowed"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) response.get("status");
        assertThat((String) status.get("message")).as(r.body()).isNotBlank();
        assertThat((Long) status.get("code")).as(r.body()).isBetween(400L, 499L);
      }
    }
  }
}
