// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pool's record write as one JSON merge patch of its status subresource that carries the
 * resourceVersion the records were computed from: the API server applies it only if the pool is
 * still at that version and answers 409 otherwise, so it is the same compare-and-set as a PUT of
 * the whole object (PoolStatusPatchIT shows the 409 on the real API server). What it saves per
 * write: the spec and metadata are neither sent nor needed (no object to keep or GET for the next
 * write), and the answer is asked for as the pool's metadata only ({@link #ACCEPT}), of which the
 * new resourceVersion is read with a streaming parser (an API server that answers with the whole
 * pool has the rest skipped instead of built). The status keeps Spiderpool's format: {@code
 * allocatedIPs} is one JSON string, so it is sent whole.
 */
final class PoolStatusPatch {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String MERGE_PATCH = "application/merge-patch+json";

  /**
   * Asks for the patched pool as its metadata only (the API server's PartialObjectMetadata form,
   * which it offers for writes as for reads), the whole object being the fallback: of the answer
   * only the resourceVersion is used, and the whole pool is the size of its records.
   */
  static final String ACCEPT =
      "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json";

  private final KubernetesClient client;

  PoolStatusPatch(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The patch body: {@code metadata.resourceVersion} as the precondition, the records as
   * Spiderpool's {@code allocatedIPs} string (null when there are none, which removes the field)
   * and their count, and {@code totalIPCount} when not null (null leaves it as it is).
   */
  static String body(String resourceVersion, String allocatedIps, int count, Long totalIpCount) {
    StringBuilder out =
        new StringBuilder(64 + (allocatedIps == null ? 0 : allocatedIps.length() * 9 / 8));
    out.append("{\"metadata\":{\"resourceVersion\":");
    JsonWriter.appendString(out, resourceVersion);
    out.append("},\"status\":{\"allocatedIPs\":");
    if (allocatedIps == null) {
      out.append("null");
    } else {
      JsonWriter.appendString(out, allocatedIps);
    }
    out.append(",\"allocatedIPCount\":").append(count);
    if (totalIpCount != null) {
      out.append(",\"totalIPCount\":").append(totalIpCount.longValue());
    }
    return out.append("}}").toString();
  }

  /**
   * Sends the patch; returns the pool's new resourceVersion.
   *
   * @throws KubernetesClientException with the API server's code (409: the pool moved on, 404: it
   *     is gone) or, when no answer came, code 0
   */
  String send(String pool, String body) {
    byte[] answer = answer(pool, body);
    String version = resourceVersion(answer);
    if (version == null) {
      throw new KubernetesClientException(
          "the API server's answer to a PATCH of IPPool "
              + pool
              + " status has no metadata.resourceVersion",
          200,
          null);
    }
    return version;
  }

  /**
   * The answer to a successful patch: the pool's metadata only ({@link #ACCEPT}), or the whole pool
   * from an API server that cannot give less.
   */
  byte[] answer(String pool, String body) {
    HttpClient http = client.getHttpClient();
    long timeoutMs = client.getConfiguration().getRequestTimeout();
    HttpRequest.Builder builder =
        http.newHttpRequestBuilder()
            .uri(url(pool))
            .header("Accept", ACCEPT)
            .method("PATCH", MERGE_PATCH, body);
    if (timeoutMs > 0) {
      builder.timeout(timeoutMs, TimeUnit.MILLISECONDS);
    }
    HttpRequest request = builder.build();
    HttpResponse<byte[]> response;
    try {
      response =
          timeoutMs > 0
              ? http.sendAsync(request, byte[].class).get(2 * timeoutMs, TimeUnit.MILLISECONDS)
              : http.sendAsync(request, byte[].class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while patching IPPool " + pool, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof KubernetesClientException k) {
        throw k;
      }
      throw new KubernetesClientException(
          "PATCH of IPPool " + pool + " status failed: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new KubernetesClientException(
          "PATCH of IPPool " + pool + " status got no answer in " + 2 * timeoutMs + " ms", e);
    }
    byte[] answer = response.body() == null ? new byte[0] : response.body();
    if (!response.isSuccessful()) {
      throw failure(pool, response.code(), answer);
    }
    return answer;
  }

  private String url(String pool) {
    String base = client.getConfiguration().getMasterUrl();
    return (base.endsWith("/") ? base : base + "/")
        + "apis/"
        + SpiderpoolApi.GROUP
        + "/"
        + SpiderpoolApi.VERSION
        + "/spiderippools/"
        + URLEncoder.encode(pool, StandardCharsets.UTF_8)
        + "/status";
  }

  private KubernetesClientException failure(String pool, int code, byte[] answer) {
    Status status = null;
    try {
      status =
          client
              .getKubernetesSerialization()
              .unmarshal(new String(answer, StandardCharsets.UTF_8), Status.class);
    } catch (RuntimeException notStatus) {
      // an answer that is not a Status (a proxy's page): the code says enough
    }
    String message =
        status != null && status.getMessage() != null
            ? status.getMessage()
            : "HTTP " + code + " for PATCH of IPPool " + pool + " status";
    return new KubernetesClientException(message, code, status);
  }

  /**
   * {@code metadata.resourceVersion} of a JSON object, or null; every other member is skipped
   * without building it (the pool's records are most of the answer).
   */
  static String resourceVersion(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("metadata") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (field.equals("resourceVersion") && v == JsonToken.VALUE_STRING) {
              return p.getText();
            }
            p.skipChildren();
          }
          return null;
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
