// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.NoPoolAvailableException;
import io.spiderpool.core.error.PoolExhaustedException;
import io.spiderpool.core.error.ReleaseForbiddenException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.port.IpamMetrics.Failure;
import io.spiderpool.daemon.socket.HttpHandler;
import io.spiderpool.daemon.socket.UnixHttpServer;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.EndpointView;
import io.spiderpool.service.ipam.IpamService;
import io.spiderpool.service.ipam.ReleaseRequest;
import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Spiderpool's agent API (docs/spiderpool-compat.md#agent-api) on the unix socket: the same paths,
 * models and status codes, so Spiderpool's own plugin binary can talk to this daemon. Handlers bind
 * the request ({@link AgentRequests}: 422/400 before any work), call the {@link IpamService}, and
 * answer a failure with 500 and the error message as a bare JSON string. ADD and DEL outcomes are
 * counted in {@link IpamMetrics} and logged once here, the boundary ({@link RequestLog}).
 */
public final class AgentApi {
  static final String NO_COORDINATOR = "coordinator config not found";

  private final IpamService ipam;
  private final IpamMetrics metrics;

  public AgentApi(IpamService ipam, IpamMetrics metrics) {
    this.ipam = ipam;
    this.metrics = metrics;
  }

  /** Adds every route of the API to {@code server}. */
  public UnixHttpServer.Builder register(UnixHttpServer.Builder server) {
    return server
        .route("GET", "/v1/ipam/healthy", r -> HttpResponse.empty(200))
        .route("POST", "/v1/ipam/ip", bound(this::add))
        .route("DELETE", "/v1/ipam/ip", bound(this::delete))
        .route("POST", "/v1/ipam/ips", r -> HttpResponse.empty(200)) // Spiderpool's placeholder
        .route("DELETE", "/v1/ipam/ips", bound(this::batchDelete))
        .route("GET", "/v1/workloadendpoint", bound(this::workloadEndpoint))
        .route("GET", "/v1/coordinator/config", r -> error(500, NO_COORDINATOR));
  }

  private static HttpHandler bound(HttpHandler h) {
    return r -> {
      try {
        return h.handle(r);
      } catch (BindingException e) {
        return e.toResponse();
      }
    };
  }

  private HttpResponse add(HttpRequest r) {
    var req = AgentRequests.add(r);
    long start = System.nanoTime();
    RequestLog log = RequestLog.add(req);
    try {
      AddResult result = ipam.allocate(req);
      Duration took = since(start);
      metrics.allocated(took);
      log.ok(took);
      return HttpResponse.json(200, AgentResponses.addResponse(result));
    } catch (RuntimeException e) {
      Duration took = since(start);
      metrics.allocationFailed(reason(e), took);
      log.failed(500, e, took);
      return error(500, message(e));
    }
  }

  private HttpResponse delete(HttpRequest r) {
    return release(AgentRequests.delete(r));
  }

  /**
   * The engine decides whether {@code isReleaseConflictIPs} may be honoured: 521 when {@code
   * SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS} is off, 522 for a sticky (stateful) workload.
   */
  private HttpResponse batchDelete(HttpRequest r) {
    return release(AgentRequests.batchDelete(r));
  }

  private HttpResponse release(ReleaseRequest req) {
    long start = System.nanoTime();
    RequestLog log = RequestLog.release(req);
    try {
      ipam.release(req);
      Duration took = since(start);
      metrics.released(took);
      log.ok(took);
      return HttpResponse.empty(200);
    } catch (ReleaseForbiddenException e) {
      log.refused(e.code(), e.getMessage());
      return error(e.code(), message(e));
    } catch (RuntimeException e) {
      Duration took = since(start);
      metrics.releaseFailed(reason(e), took);
      log.failed(500, e, took);
      return error(500, message(e));
    }
  }

  private HttpResponse workloadEndpoint(HttpRequest r) {
    String ns = AgentRequests.query(r, "podNamespace");
    String name = AgentRequests.query(r, "podName");
    Optional<EndpointView> found;
    try {
      found = ipam.endpoint(ns, name);
    } catch (RuntimeException e) {
      RequestLog.lookup(ns, name).failed(500, e, Duration.ZERO);
      return error(500, message(e));
    }
    return found
        .map(e -> HttpResponse.json(200, AgentResponses.endpoint(e)))
        .orElseGet(() -> error(404, "SpiderEndpoint not found for pod " + ns + "/" + name));
  }

  /** Which Spiderpool failure counter an exception belongs to. */
  static Failure reason(RuntimeException e) {
    if (e instanceof NoPoolAvailableException) {
      return Failure.NO_AVAILABLE_POOL;
    }
    if (e instanceof PoolExhaustedException) {
      return Failure.IP_USED_OUT;
    }
    if (e instanceof TransientException || e instanceof InvalidInputException) {
      return Failure.RETRIES_EXHAUSTED;
    }
    return Failure.INTERNAL;
  }

  private static String message(RuntimeException e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** Spiderpool's {@code Error} model: the message as a bare JSON string. */
  private static HttpResponse error(int status, String message) {
    return HttpResponse.json(status, JsonWriter.write(message));
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
