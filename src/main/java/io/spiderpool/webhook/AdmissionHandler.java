// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import io.spiderpool.core.admission.Claim;
import io.spiderpool.core.admission.Mutation;
import io.spiderpool.core.admission.Mutator;
import io.spiderpool.core.admission.Operation;
import io.spiderpool.core.admission.Rejection;
import io.spiderpool.core.admission.SubnetFeatureRules;
import io.spiderpool.core.admission.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves Spiderpool's webhook paths: AdmissionReview v1 in, AdmissionReview v1 out. Mutation
 * answers with a base64 JSON Patch; a rejection is {@code allowed: false} with a Status whose code
 * is 422 (change the spec) or 403 (operation refused) and whose message says what to change. A body
 * that is not an AdmissionReview gets HTTP 400; an API-server failure while checking overlaps is
 * {@code allowed: false} with code 500, so the request fails (failurePolicy Fail would do the same)
 * and the user retries.
 */
final class AdmissionHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(AdmissionHandler.class.getName());
  static final String HEALTH_PATH = "/webhook-health-check";
  private static final int MAX_BODY = 3 << 20;

  /** How much of an oversized body is read past the limit so that the 400 reaches the sender. */
  private static final long DRAIN_LIMIT = 64L << 20;

  private record Route(AdmissionKind kind, boolean mutate) {}

  private static final Map<String, Route> ROUTES =
      Map.of(
          "/mutate-spiderpool-spidernet-io-v2beta1-spiderippool",
              new Route(AdmissionKind.IPPOOL, true),
          "/validate-spiderpool-spidernet-io-v2beta1-spiderippool",
              new Route(AdmissionKind.IPPOOL, false),
          "/mutate-spiderpool-spidernet-io-v2beta1-spidersubnet",
              new Route(AdmissionKind.SUBNET, true),
          "/validate-spiderpool-spidernet-io-v2beta1-spidersubnet",
              new Route(AdmissionKind.SUBNET, false),
          "/mutate-spiderpool-spidernet-io-v2beta1-spiderreservedip",
              new Route(AdmissionKind.RESERVED_IP, true),
          "/validate-spiderpool-spidernet-io-v2beta1-spiderreservedip",
              new Route(AdmissionKind.RESERVED_IP, false));

  private final Validator validator;
  private final OverlapGuard guard;
  private final ClaimFollower follower;
  private final SubnetFeatureRules subnetRules;
  private final ClusterObjects objects;

  AdmissionHandler(
      Validator validator,
      OverlapGuard guard,
      ClaimFollower follower,
      SubnetFeatureRules subnetRules,
      ClusterObjects objects) {
    this.validator = validator;
    this.guard = guard;
    this.follower = follower;
    this.subnetRules = subnetRules;
    this.objects = objects;
  }

  /** One HTTP answer of the webhook: status, content type, body. */
  record Reply(int status, String type, String body) {}

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Reply r = respond(ex.getRequestURI().getPath(), ex.getRequestMethod(), ex.getRequestBody());
      reply(ex, r.status(), r.type(), r.body());
    }
  }

  /** The answer to one request, apart from the HTTP exchange (the fuzz tests call it directly). */
  Reply respond(String path, String method, InputStream body) throws IOException {
    if (path.equals(HEALTH_PATH)) {
      return new Reply(200, "text/plain", "ok");
    }
    Route route = ROUTES.get(path);
    if (route == null) {
      return new Reply(404, "text/plain", "no webhook at " + path);
    }
    if (!method.equals("POST")) {
      return new Reply(405, "text/plain", "POST an AdmissionReview to " + path);
    }
    JsonNode request;
    try {
      request = parse(body);
    } catch (IllegalArgumentException | IOException e) {
      return new Reply(
          400, "text/plain", "not an admission.k8s.io/v1 AdmissionReview: " + e.getMessage());
    }
    AdmissionResponse response = answer(route, request);
    AdmissionReview review =
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withResponse(response)
            .build();
    return new Reply(200, "application/json", Serialization.asJson(review));
  }

  private static JsonNode parse(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      // read the rest (bounded) before answering: a reply sent over unread input is lost to the
      // connection reset that follows (AdmissionBadInputTest)
      byte[] sink = new byte[64 << 10];
      long drained = 0;
      for (int n; drained < DRAIN_LIMIT && (n = body.read(sink)) > 0; ) {
        drained += n;
      }
      throw new IllegalArgumentException("body larger than " + MAX_BODY + " bytes");
    }
    JsonNode root = Serialization.jsonMapper().readTree(bytes);
    if (root == null || !root.path("request").isObject()) {
      throw new IllegalArgumentException("no request");
    }
    JsonNode req = root.get("request");
    if (!req.path("uid").isTextual() || !req.path("operation").isTextual()) {
      throw new IllegalArgumentException("request.uid and request.operation are required");
    }
    String op = req.get("operation").asText();
    if (!op.equals("CREATE") && !op.equals("UPDATE") && !op.equals("DELETE")) {
      throw new IllegalArgumentException("operation " + op + " is not admitted here");
    }
    if (!op.equals("DELETE") && !req.path("object").isObject()) {
      throw new IllegalArgumentException("request.object is required for " + op);
    }
    // the API server always names the review's type; anything else is not a v1 review
    String apiVersion = root.path("apiVersion").asText("");
    String kind = root.path("kind").asText("");
    if (!apiVersion.equals("admission.k8s.io/v1") || !kind.equals("AdmissionReview")) {
      throw new IllegalArgumentException(
          "got apiVersion \""
              + apiVersion
              + "\" kind \""
              + kind
              + "\"; register the webhook with admissionReviewVersions [v1]");
    }
    return req;
  }

  private AdmissionResponse answer(Route route, JsonNode req) {
    String uid = req.get("uid").asText();
    String kind = req.path("kind").path("kind").asText("");
    if (!kind.equals(route.kind().kindName())) {
      // a webhook configuration pointing the wrong resource here: refuse rather than judge a
      // SpiderSubnet by the rules of a SpiderIPPool
      return denied(
          uid,
          400,
          "BadRequest",
          "this webhook admits "
              + route.kind().kindName()
              + ", not \""
              + kind
              + "\": check the webhook configuration's rules");
    }
    Operation op = Operation.valueOf(req.get("operation").asText());
    JsonNode objectNode = req.path("object");
    JsonNode oldNode = req.path("oldObject");
    AdmissionObject obj = null;
    try {
      obj = objectNode.isObject() ? ObjectReader.read(route.kind(), objectNode) : null;
      AdmissionObject old = oldNode.isObject() ? ObjectReader.read(route.kind(), oldNode) : null;
      if (route.mutate()) {
        return mutate(uid, objectNode, obj);
      }
      boolean dryRun = req.path("dryRun").asBoolean(false);
      Optional<AdmissionObject> subnet =
          subnetRules
              .subnetToRead(op, obj, old)
              .flatMap(name -> objects.get(AdmissionKind.SUBNET, name));
      subnetRules.validate(op, obj, old, subnet);
      Claim claim = guard.admit(validator, op, obj, old, dryRun);
      if (claim != null) {
        follower.follow(claim, textOrNull(oldNode.path("metadata").path("resourceVersion")));
      } else if (op == Operation.DELETE
          && !dryRun
          && route.kind() != AdmissionKind.RESERVED_IP
          && req.path("name").isTextual()) {
        // a deleted object's address space is free at once, whatever claim of it is left
        guard.withdraw(route.kind(), req.get("name").asText(), 0);
      }
      return new AdmissionResponseBuilder().withUid(uid).withAllowed(true).build();
    } catch (Rejection r) {
      LOG.fine(() -> route.kind() + " " + op + " rejected: " + r.getMessage());
      return denied(
          uid, r.code(), r.code() == Rejection.FORBIDDEN ? "Forbidden" : "Invalid", r.getMessage());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          route.kind()
              + " "
              + op
              + " of "
              + (obj != null ? obj.name() : "?")
              + " could not be checked",
          e);
      return denied(
          uid,
          500,
          "InternalError",
          "the webhook could not check this " + route.kind() + " (" + e.getMessage() + "): retry");
    }
  }

  private static String textOrNull(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }

  private static AdmissionResponse mutate(String uid, JsonNode objectNode, AdmissionObject obj) {
    if (obj == null) {
      return new AdmissionResponseBuilder().withUid(uid).withAllowed(true).build();
    }
    Mutation m = Mutator.mutate(obj);
    AdmissionResponseBuilder b = new AdmissionResponseBuilder().withUid(uid).withAllowed(true);
    if (!m.isEmpty()) {
      String patch = JsonPatch.of(objectNode, m).toString();
      b.withPatchType("JSONPatch")
          .withPatch(Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
    }
    return b.build();
  }

  private static AdmissionResponse denied(String uid, int code, String reason, String message) {
    return new AdmissionResponseBuilder()
        .withUid(uid)
        .withAllowed(false)
        .withStatus(
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build())
        .build();
  }

  private static void reply(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
