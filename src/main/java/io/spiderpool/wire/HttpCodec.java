// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

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
 * The slice of HTTP/1.1 (RFC 9112) spoken on a node, one codec for both ends: the daemon reads
 * requests and writes replies (the agent's unix socket and the CNI spool alike), the plugin writes
 * its {@code POST /v1/cni} and reads the reply ({@link CniExchange}). Request line, headers, bodies
 * by Content-Length or chunked transfer coding, persistent connections. Limits guard the daemon
 * against a misbehaving local client: it is the node's IPAM and must not fall over. A broken
 * request is a {@link BadRequest} (the server answers 400); a broken reply is a plain {@link
 * IOException} named as the reply's, which the plugin reports as "try again later".
 *
 * <p>The plugin process loads this class, so it uses no lambdas, no {@code +} on strings ({@link
 * Concat}) and no regex.
 */
public final class HttpCodec {
  static final int MAX_LINE = 8 * 1024;
  static final int MAX_HEADERS = 100;
  public static final int MAX_BODY = 4 * 1024 * 1024;

  /** A malformed request; the server answers 400 and closes the connection. */
  public static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;

    private BadRequest(String message) {
      super(message);
    }

    /**
     * Returned as a plain {@link IOException}, so that verifying {@link HttpCodec} does not load
     * this class too: the plugin process, which loads the codec, never reads a request.
     */
    static IOException of(String message) {
      return new BadRequest(message);
    }
  }

  private HttpCodec() {}

  /** Reads one request, or returns null on a clean end of stream between requests. */
  public static HttpRequest readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in, false, true);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw failure(false, Concat.of("malformed request line: ", requestLine));
    }
    if (!isToken(parts[0])) {
      throw failure(
          false,
          Concat.of(
              "malformed request line: the method must be a token such as GET, not \"",
              parts[0],
              "\""));
    }
    if (!parts[1].startsWith("/")) {
      throw failure(
          false,
          Concat.of(
              "malformed request line: the target must be a path starting with /, not \"",
              parts[1],
              "\""));
    }
    Map<String, String> headers = readHeaders(in, false);
    String target = parts[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : parseQuery(target.substring(q + 1));
    return new HttpRequest(parts[0], path, query, headers, readBody(in, headers, false));
  }

  /**
   * The whole request as bytes, head then body. One exchange per request: it says {@code
   * Connection: close}, and the target is the path alone.
   */
  public static byte[] request(
      String method, String path, Map<String, String> headers, byte[] body) {
    byte[] head = head(Concat.of(method, " ", path, " HTTP/1.1"), headers, body.length, true);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /**
   * Reads one reply; header names lower-cased. Without a Content-Length the body runs to the end.
   */
  public static HttpResponse readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in, true, false);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException(Concat.of("not an HTTP reply: ", statusLine));
    }
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException(Concat.of("not an HTTP status: ", statusLine), e);
    }
    Map<String, String> headers = readHeaders(in, true);
    return new HttpResponse(status, headers, readBody(in, headers, true));
  }

  /** Writes a reply with Content-Length, and {@code Connection: close} when asked. */
  public static void write(OutputStream out, HttpResponse r, boolean close) throws IOException {
    out.write(
        head(
            Concat.of("HTTP/1.1 ", r.status(), " ", reason(r.status())),
            r.headers(),
            r.body().length,
            close));
    out.write(r.body());
    out.flush();
  }

  private static byte[] head(
      String startLine, Map<String, String> headers, int length, boolean close) {
    StringBuilder sb = new StringBuilder(256).append(startLine).append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    sb.append("Content-Length: ").append(length).append("\r\n");
    if (close) {
      sb.append("Connection: close\r\n");
    }
    return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The head's fields up to the blank line; names lower-cased, values trimmed. */
  private static Map<String, String> readHeaders(InputStream in, boolean reply) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in, reply, false);
        !line.isEmpty();
        line = readLine(in, reply, false)) {
      int colon = line.indexOf(':');
      if (colon <= 0 || headers.size() >= MAX_HEADERS) {
        throw failure(reply, "malformed or too many headers");
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return headers;
  }

  /**
   * A request without a length has no body; a reply without one runs to the end of the stream (RFC
   * 9112 section 6.3).
   */
  private static byte[] readBody(InputStream in, Map<String, String> headers, boolean reply)
      throws IOException {
    String te = headers.get("transfer-encoding");
    if (te != null) {
      if (!te.equalsIgnoreCase("chunked")) {
        throw failure(reply, Concat.of("unsupported transfer-encoding: ", te));
      }
      return readChunked(in, reply);
    }
    String cl = headers.get("content-length");
    if (cl == null) {
      return reply ? bounded(in.readNBytes(MAX_BODY + 1)) : new byte[0];
    }
    int length;
    try {
      length = Integer.parseInt(cl);
    } catch (NumberFormatException e) {
      throw failure(reply, Concat.of("bad content-length: ", cl));
    }
    if (length < 0 || length > MAX_BODY) {
      throw failure(reply, Concat.of("content-length out of range: ", cl));
    }
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw failure(
          reply,
          Concat.of(
              reply ? "reply" : "body", " ended after ", body.length, " of ", length, " bytes"));
    }
    return body;
  }

  private static byte[] bounded(byte[] body) throws IOException {
    if (body.length > MAX_BODY) {
      throw new IOException(Concat.of("reply body larger than ", MAX_BODY, " bytes"));
    }
    return body;
  }

  private static byte[] readChunked(InputStream in, boolean reply) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in, reply, false);
      int semi = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw failure(reply, Concat.of("bad chunk size: ", sizeLine));
      }
      if (size < 0 || body.size() + size > MAX_BODY) {
        throw failure(reply, "chunked body too large");
      }
      if (size == 0) {
        while (!readLine(in, reply, false).isEmpty()) {
          // trailers are ignored
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw failure(reply, "chunk ended early");
      }
      body.write(chunk);
      readLine(in, reply, false);
    }
  }

  /**
   * Reads a CRLF- (or LF-) terminated ISO-8859-1 line; null only when {@code eofAllowed} and the
   * stream ends before the line starts.
   */
  private static String readLine(InputStream in, boolean reply, boolean eofAllowed)
      throws IOException {
    StringBuilder sb = new StringBuilder(80);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofAllowed && sb.length() == 0) {
          return null;
        }
        throw failure(
            reply,
            reply ? "the reply ended before its header did" : "connection closed mid-request");
      }
      if (b == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw failure(reply, reply ? "reply header line too long" : "line too long");
      }
      sb.append((char) b);
    }
  }

  /** A broken reply is the plugin's plain I/O failure; a broken request is the server's 400. */
  private static IOException failure(boolean reply, String message) {
    return reply ? new IOException(message) : BadRequest.of(message);
  }

  /** RFC 9110 token: one or more of the visible characters other than delimiters. */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> parseQuery(String q) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw failure(
            false, Concat.of("malformed query parameter \"", pair, "\": ", e.getMessage()));
      }
    }
    return out;
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
      default -> Concat.of("Status ", status);
    };
  }
}
