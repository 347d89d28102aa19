// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete response; bodies are small JSON documents, so they are held whole. Header names are as
 * written by the daemon, lower-cased in one {@link HttpCodec} read (the plugin's reply).
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

  /** A JSON response. */
  public static HttpResponse json(int status, String json) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    return new HttpResponse(status, h, json.getBytes(StandardCharsets.UTF_8));
  }

  /** An empty response. */
  public static HttpResponse empty(int status) {
    return new HttpResponse(status, Map.of(), new byte[0]);
  }

  /** A copy with one more header. */
  public HttpResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new HttpResponse(status, h, body);
  }
}
