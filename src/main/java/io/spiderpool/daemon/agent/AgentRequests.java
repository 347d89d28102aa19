// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.core.json.Utf8;
import io.spiderpool.service.ipam.AddRequest;
import io.spiderpool.service.ipam.ReleaseRequest;
import io.spiderpool.wire.HttpRequest;
import java.util.List;
import java.util.Map;

/**
 * Binds the agent API's request bodies as Spiderpool's generated server does: keys match
 * case-insensitively (Go's encoding/json), unknown keys are ignored, a wrong JSON type is a parse
 * error, and required fields are checked in the generated validator's order (alphabetical), the
 * first one missing being reported. Required means present and not null; an empty string passes.
 */
final class AgentRequests {
  static final String ADD_ARGS = "ipam-add-args";
  static final String DEL_ARGS = "ipam-del-args";
  static final String BATCH_DEL_ARGS = "ipam-batch-del-args";

  private AgentRequests() {}

  /** {@code IpamAddArgs} of {@code POST /v1/ipam/ip}. */
  static AddRequest add(HttpRequest req) {
    Map<String, Object> b = body(req, ADD_ARGS);
    return bind(
        ADD_ARGS,
        () -> {
          require(b, "containerID", "ifName", "netNamespace", "podName", "podNamespace", "podUID");
          return new AddRequest(
              text(b, "containerID"),
              text(b, "ifName"),
              text(b, "netNamespace"),
              text(b, "podNamespace"),
              text(b, "podName"),
              text(b, "podUID"),
              list(b, "defaultIPv4IPPool"),
              list(b, "defaultIPv6IPPool"),
              flag(b, "cleanGateway"),
              flag(b, "matchMasterSubnet"));
        });
  }

  /** {@code IpamDelArgs} of {@code DELETE /v1/ipam/ip}. */
  static ReleaseRequest delete(HttpRequest req) {
    Map<String, Object> b = body(req, DEL_ARGS);
    return bind(
        DEL_ARGS,
        () -> {
          require(b, "containerID", "ifName", "podName", "podNamespace", "podUID");
          return new ReleaseRequest(
              text(b, "containerID"),
              text(b, "ifName"),
              orEmpty(text(b, "netNamespace")),
              text(b, "podNamespace"),
              text(b, "podName"),
              text(b, "podUID"),
              false);
        });
  }

  /**
   * {@code IpamBatchDelArgs} of {@code DELETE /v1/ipam/ips}: {@code ifName} null means every NIC.
   */
  static ReleaseRequest batchDelete(HttpRequest req) {
    Map<String, Object> b = body(req, BATCH_DEL_ARGS);
    return bind(
        BATCH_DEL_ARGS,
        () -> {
          require(b, "containerID", "podName", "podNamespace", "podUID");
          return new ReleaseRequest(
              text(b, "containerID"),
              null,
              orEmpty(text(b, "netNamespace")),
              text(b, "podNamespace"),
              text(b, "podName"),
              text(b, "podUID"),
              flag(b, "isReleaseConflictIPs"));
        });
  }

  /** A required query parameter; absent or empty is refused, as go-swagger's RequiredString. */
  static String query(HttpRequest req, String name) {
    String v = req.query().get(name);
    if (v == null || v.isEmpty()) {
      throw BindingException.required(name, "query");
    }
    return v;
  }

  private static Map<String, Object> body(HttpRequest req, String name) {
    if (req.body().length == 0) {
      throw BindingException.required(name, "body");
    }
    int bad = Utf8.firstInvalid(req.body());
    if (bad >= 0) {
      throw BindingException.unparsable(
          name,
          "the body is not valid UTF-8: byte 0x"
              + Integer.toHexString(req.body()[bad] & 0xff)
              + " at offset "
              + bad);
    }
    Object tree;
    try {
      tree = JsonReader.parse(req.bodyText());
    } catch (InvalidInputException e) {
      throw BindingException.unparsable(name, e.getMessage());
    }
    if (tree == null) {
      return Map.of(); // Go decodes "null" into an empty struct; validation then names the field
    }
    Object document = tree;
    return bind(name, () -> JsonValues.asObject(document, "the body"));
  }

  private interface Binding<T> {
    T get();
  }

  private static <T> T bind(String name, Binding<T> binding) {
    try {
      return binding.get();
    } catch (BindingException e) {
      throw e;
    } catch (InvalidInputException e) {
      throw BindingException.unparsable(name, e.getMessage());
    }
  }

  private static void require(Map<String, Object> body, String... fields) {
    for (String f : fields) {
      if (JsonValues.field(body, f) == null) {
        throw BindingException.required(f, "body");
      }
    }
  }

  private static String text(Map<String, Object> body, String field) {
    Object v = JsonValues.field(body, field);
    return v == null ? null : JsonValues.asString(v, field);
  }

  private static List<String> list(Map<String, Object> body, String field) {
    return JsonValues.asStringList(JsonValues.field(body, field), field);
  }

  private static boolean flag(Map<String, Object> body, String field) {
    Object v = JsonValues.field(body, field);
    return v != null && JsonValues.asBoolean(v, field);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
