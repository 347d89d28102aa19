// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The plugin's side of the {@code POST /v1/cni} exchange as bytes: the request it sends and the
 * reply it parses, which {@link SpoolTransport} carries as files.
 */
final class HttpWire {
  private static final int MAX_HEAD = 64 * 1024;

  private HttpWire() {}

  /** The whole request: head, then body; {@code Connection: close}, one exchange per request. */
  static byte[] request(Map<String, String> headers, byte[] body) {
    StringBuilder sb = new StringBuilder(256).append("POST ").append(CniProtocol.PATH)
        .append(" HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    sb.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Parses one reply; header names lower-cased. */
  static DaemonTransport.Reply read(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException(Concat.of("not an HTTP reply: ", status));
    }
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException(Concat.of("not an HTTP status: ", status), e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
    }
    String length = headers.get("content-length");
    byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
    if (length != null && body.length != Integer.parseInt(length)) {
      throw new IOException(Concat.of("reply ended after ", body.length, " of ", length, " bytes"));
    }
    return new DaemonTransport.Reply(code, headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream sb = new ByteArrayOutputStream(80);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the reply ended before its header did");
      }
      if (sb.size() >= MAX_HEAD) {
        throw new IOException("reply header line too long");
      }
      sb.write(b);
    }
    String s = sb.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
