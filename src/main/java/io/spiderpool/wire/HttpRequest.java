// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request as {@link HttpCodec} reads it (agent socket, CNI spool). Header names are
 * lower-cased; the query string is split into decoded parameters (last value wins).
 */
public record HttpRequest(
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body) {

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A header by lower-case name, or null. */
  public String header(String name) {
    return headers.get(name);
  }
}
