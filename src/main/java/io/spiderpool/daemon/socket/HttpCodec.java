// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.socket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The slice of HTTP/1.1 the agent socket needs (RFC 9112): request line, headers, bodies by
 * Content-Length or chunked transfer coding, persistent connections. Limits guard the daemon
 * against a misbehaving local client: it is the node's IPAM and must not fall over. Public for
 * the CNI spool ({@code io.spiderpool.daemon.spool}), whose files carry the same bytes.
 */
public final class HttpCodec {
  static final int MAX_LINE = 8 * 1024;
  static final int MAX_HEADERS = 100;
  static final int MAX_BODY = 4 * 1024 * 1024;

  /** A malformed request; the server answers 400 and closes the connection. */
  public static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  private HttpCodec() {}

  /** Reads one request, or returns null on a clean end of stream between requests. */
  public static HttpRequest read(InputStream in) throws IOException {
    String requestLine = readLine(in, true);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("malformed request line: " + requestLine);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
      int colon = line.indexOf(':');
      if (colon <= 0 || headers.size() >= MAX_HEADERS) {
        throw new BadRequest("malformed or too many headers");
      }
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    String target = parts[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : parseQuery(target.substring(q + 1));
    return new HttpRequest(parts[0], path, query, headers, readBody(in, headers));
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    String te = headers.get("transfer-encoding");
    if (te != null) {
      if (!te.equalsIgnoreCase("chunked")) {
        throw new BadRequest("unsupported transfer-encoding: " + te);
      }
      return readChunked(in);
    }
    String cl = headers.get("content-length");
    if (cl == null) {
      return new byte[0];
    }
    int length;
    try {
      length = Integer.parseInt(cl);
    } catch (NumberFormatException e) {
      throw new BadRequest("bad content-length: " + cl);
    }
    if (length < 0 || length > MAX_BODY) {
      throw new BadRequest("content-length out of range: " + cl);
    }
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new BadRequest("body ended after " + body.length + " of " + length + " bytes");
    }
    return body;
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in, false);
      int semi = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new BadRequest("bad chunk size: " + sizeLine);
      }
      if (size < 0 || body.size() + size > MAX_BODY) {
        throw new BadRequest("chunked body too large");
      }
      if (size == 0) {
        while (!readLine(in, false).isEmpty()) {
          // trailers are ignored
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new BadRequest("chunk ended early");
      }
      body.write(chunk);
      readLine(in, false);
    }
  }

  /** Reads a CRLF- (or LF-) terminated ISO-8859-1 line; null at EOF only when allowed. */
  private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofAllowed && sb.length() == 0) {
          return null;
        }
        throw new BadRequest("connection closed mid-request");
      }
      if (b == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw new BadRequest("line too long");
      }
      sb.append((char) b);
    }
  }

  private static Map<String, String> parseQuery(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Writes a response with Content-Length, and {@code Connection: close} when asked. */
  public static void write(OutputStream out, HttpResponse r, boolean close) throws IOException {
    StringBuilder head = new StringBuilder(128);
    head.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(r.body().length).append("\r\n");
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(r.body());
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 422 -> "Unprocessable Entity";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status " + status;
    };
  }
}
