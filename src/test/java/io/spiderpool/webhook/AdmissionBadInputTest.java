// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.spiderpool.core.admission.SubnetFeatureRules;
import io.spiderpool.core.admission.Validator;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.json.JsonReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage to the admission webhooks (docs/reliability.md, "Bad input"), through the real handler
 * over plain HTTP (TLS is WebhookAdmissionIT's): a body that is not an admission.k8s.io/v1
 * AdmissionReview is HTTP 400 with a message; a review of the wrong kind, or with fields of the
 * wrong type, is answered 200 with {@code allowed: false} and a message; neither carries Java
 * exception text, and nothing is claimed.
 */
class AdmissionBadInputTest {
  private static final String POOL_PATH = "/validate-spiderpool-spidernet-io-v2beta1-spiderippool";
  private static final String MUTATE_POOL = "/mutate-spiderpool-spidernet-io-v2beta1-spiderippool";

  private static HttpServer server;
  private static ScheduledExecutorService follower;
  private static final OverlapGuardTest.MemoryClaims CLAIMS = new OverlapGuardTest.MemoryClaims();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws IOException {
    OverlapGuardTest.Stored stored = new OverlapGuardTest.Stored();
    OverlapGuard guard =
        new OverlapGuard(stored, CLAIMS, Duration.ofSeconds(30), Clock.systemUTC());
    follower = Executors.newSingleThreadScheduledExecutor();
    AdmissionHandler handler =
        new AdmissionHandler(
            new Validator(ClusterConfig.DEFAULTS),
            guard,
            new ClaimFollower(stored, guard, follower, Clock.systemUTC()),
            new SubnetFeatureRules(ClusterConfig.DEFAULTS),
            stored);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", handler);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    follower.shutdownNow();
  }

  static String review(
      String apiVersion, String kind, String requestKind, String op, String object) {
    return "{\"apiVersion\":\""
        + apiVersion
        + "\",\"kind\":\""
        + kind
        + "\",\"request\":{\"uid\":\"u-1\",\"kind\":{\"group\":\"spiderpool.spidernet.io\","
        + "\"version\":\"v2beta1\",\"kind\":\""
        + requestKind
        + "\"},\"operation\":\""
        + op
        + "\",\"name\":\"p1\",\"object\":"
        + object
        + "}}";
  }

  static String pool(String spec) {
    return "{\"apiVersion\":\"spiderpool.spidernet.io/v2beta1\",\"kind\":\"SpiderIPPool\","
        + "\"metadata\":{\"name\":\"p1\"},\"spec\":"
        + spec
        + "}";
  }

  static final String GOOD_POOL =
      pool("{\"subnet\":\"10.9.0.0/24\",\"ips\":[\"10.9.0.10-10.9.0.20\"]}");

  static Stream<Arguments> notAReview() {
    byte[] invalidUtf8 =
        review("admission.k8s.io/v1", "AdmissionReview", "SpiderIPPool", "CREATE", GOOD_POOL)
            .getBytes(StandardCharsets.UTF_8);
    invalidUtf8 = Arrays.copyOf(invalidUtf8, invalidUtf8.length);
    int at = new String(invalidUtf8, StandardCharsets.UTF_8).indexOf("u-1");
    invalidUtf8[at] = (byte) 0xff;
    return Stream.of(
        Arguments.of("empty body", new byte[0], "no request"),
        Arguments.of(
            "malformed JSON", bytes("{\"request\":"), "not an admission.k8s.io/v1 AdmissionReview"),
        Arguments.of("JSON array", bytes("[1,2]"), "no request"),
        Arguments.of(
            "10,000 nested arrays",
            bytes("[".repeat(10_000) + "]".repeat(10_000)),
            "not an admission.k8s.io/v1 AdmissionReview"),
        Arguments.of("invalid UTF-8", invalidUtf8, "not an admission.k8s.io/v1 AdmissionReview"),
        Arguments.of(
            "4 MB body",
            bytes("{\"pad\":\"" + "x".repeat(4 << 20) + "\"}"),
            "body larger than 3145728 bytes"),
        Arguments.of(
            "v1beta1 review",
            bytes(
                review(
                    "admission.k8s.io/v1beta1",
                    "AdmissionReview",
                    "SpiderIPPool",
                    "CREATE",
                    GOOD_POOL)),
            "got apiVersion \"admission.k8s.io/v1beta1\" kind \"AdmissionReview\""),
        Arguments.of(
            "a Status, not a review",
            bytes(review("admission.k8s.io/v1", "Status", "SpiderIPPool", "CREATE", GOOD_POOL)),
            "kind \"Status\""),
        Arguments.of(
            "no apiVersion",
            bytes(review("", "AdmissionReview", "SpiderIPPool", "CREATE", GOOD_POOL)),
            "got apiVersion \"\""),
        Arguments.of(
            "unknown operation",
            bytes(
                review(
                    "admission.k8s.io/v1",
                    "AdmissionReview",
                    "SpiderIPPool",
                    "CONNECT",
                    GOOD_POOL)),
            "operation CONNECT is not admitted here"),
        Arguments.of(
            "object a string",
            bytes(
                review(
                    "admission.k8s.io/v1", "AdmissionReview", "SpiderIPPool", "CREATE", "\"p1\"")),
            "request.object is required for CREATE"),
        Arguments.of(
            "uid a number",
            bytes(
                review(
                        "admission.k8s.io/v1",
                        "AdmissionReview",
                        "SpiderIPPool",
                        "CREATE",
                        GOOD_POOL)
                    .replace("\"u-1\"", "7")),
            "request.uid and request.operation are required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notAReview")
  void aBodyThatIsNotAV1ReviewIs400SayingWhy(String what, byte[] body, String message)
      throws Exception {
    for (String path : new String[] {POOL_PATH, MUTATE_POOL}) {
      HttpResponse<String> r = post(path, body);
      assertThat(r.statusCode()).as("%s to %s: %s", what, path, r.body()).isEqualTo(400);
      assertThat(r.body()).contains(message);
      assertNoJavaInternals(r.body());
    }
    assertThat(CLAIMS.read().data()).as("claims").isEmpty();
  }

  static Stream<Arguments> deniedReviews() {
    String v1 = "admission.k8s.io/v1";
    return Stream.of(
        Arguments.of(
            "a SpiderSubnet sent to the pool webhook",
            review(v1, "AdmissionReview", "SpiderSubnet", "CREATE", GOOD_POOL),
            400,
            "this webhook admits SpiderIPPool, not \"SpiderSubnet\""),
        Arguments.of(
            "no request kind",
            review(v1, "AdmissionReview", "", "CREATE", GOOD_POOL),
            400,
            "this webhook admits SpiderIPPool, not \"\""),
        Arguments.of(
            "ips a number",
            review(
                v1,
                "AdmissionReview",
                "SpiderIPPool",
                "CREATE",
                pool("{\"ipVersion\":4,\"subnet\":\"10.9.0.0/24\",\"ips\":5}")),
            422,
            "ips"),
        Arguments.of(
            "subnet an object",
            review(
                v1,
                "AdmissionReview",
                "SpiderIPPool",
                "CREATE",
                pool("{\"ipVersion\":4,\"subnet\":{},\"ips\":[\"10.9.0.10\"]}")),
            422,
            "subnet"),
        Arguments.of(
            "ipVersion a string",
            review(
                v1,
                "AdmissionReview",
                "SpiderIPPool",
                "CREATE",
                pool("{\"ipVersion\":\"4\",\"subnet\":\"10.9.0.0/24\"}")),
            422,
            "spec.ipVersion must be a number, not a string"),
        Arguments.of(
            "an address out of the subnet",
            review(
                v1,
                "AdmissionReview",
                "SpiderIPPool",
                "CREATE",
                pool("{\"ipVersion\":4,\"subnet\":\"10.9.0.0/24\",\"ips\":[\"10.9.1.7\"]}")),
            422,
            "10.9.1.7"),
        Arguments.of(
            "a reversed range",
            review(
                v1,
                "AdmissionReview",
                "SpiderIPPool",
                "CREATE",
                pool(
                    "{\"ipVersion\":4,\"subnet\":\"10.9.0.0/24\",\"ips\":[\"10.9.0.9-10.9.0.1\"]}")),
            422,
            "10.9.0.9-10.9.0.1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deniedReviews")
  void aReviewOfTheWrongKindOrShapeIsDeniedWithAMessage(
      String what, String review, int code, String message) throws Exception {
    HttpResponse<String> r = post(POOL_PATH, bytes(review));
    assertThat(r.statusCode()).as("%s: %s", what, r.body()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> response =
        (Map<String, Object>) ((Map<String, Object>) JsonReader.parse(r.body())).get("response");
    assertThat(response.get("allowed")).as(r.body()).isEqualTo(false);
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) response.get("status");
    assertThat(status.get("code")).as(r.body()).isEqualTo((long) code);
    assertThat((String) status.get("message")).contains(message);
    assertNoJavaInternals(r.body());
    assertThat(CLAIMS.read().data()).as("claims").isEmpty();
  }

  private static void assertNoJavaInternals(String body) {
    assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.");
  }

  private static HttpResponse<String> post(String path, byte[] body) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
            .timeout(Duration.ofSeconds(10))
            .POST(BodyPublishers.ofByteArray(body))
            .build(),
        BodyHandlers.ofString());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
