// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.wire.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request refused before it reaches a handler, answered the way Spiderpool's go-swagger server
 * does (go-openapi/errors): a required parameter or field missing is code 602, sent as HTTP 422; a
 * body that does not decode is code 400, sent as HTTP 400. The body is {@code
 * {"code":N,"message":"..."}}, not the bare string of handler errors.
 */
final class BindingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** go-openapi's RequiredFailCode. */
  static final int REQUIRED = 602;

  private final int code;

  private BindingException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** {@code "<name> in <in> is required"}, as go-openapi's {@code errors.Required}. */
  static BindingException required(String name, String in) {
    return new BindingException(REQUIRED, name + " in " + in + " is required");
  }

  /** As go-openapi's {@code errors.NewParseError(name, "body", "", reason)}. */
  static BindingException unparsable(String name, String reason) {
    return new BindingException(
        400, "parsing " + name + " body from \"\" failed, because " + reason);
  }

  int code() {
    return code;
  }

  /** go-openapi maps codes of 600 and above to 422. */
  int httpStatus() {
    return code >= 600 ? 422 : code;
  }

  HttpResponse toResponse() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", getMessage());
    return HttpResponse.json(httpStatus(), JsonWriter.write(body));
  }
}
