// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes a SpiderEndpoint the GC has released, and removes its finalizer — but only the
 * incarnation it decided about: the finalizer removal is guarded by the resourceVersion of a read
 * that still showed the expected owner UID, and the delete by the version that removal produced, so
 * an endpoint re-created or re-owned meanwhile is left alone.
 *
 * <p>The GC hands endpoints over with {@link #deleteLater} once their records are released, and its
 * next pass does not wait for them: after a burst of a hundred deletions the clean-up is two
 * hundred writes, and the addresses of the Pods deleted meanwhile would wait for them all
 * (docs/gc.md, "Latency"). Each write still passes the term's gate, so none happens once the term
 * has ended; an endpoint left behind then keeps its finalizer until a later term finds it without
 * its Pod ({@link #decideLater}, docs/gc.md, "Endpoints without a Pod").
 */
final class EndpointJanitor {
  private static final Logger LOG = Logger.getLogger(EndpointJanitor.class.getName());

  /** Clean-ups in flight at once, over all pools the role reconciles. */
  static final int WIDTH = 4;

  private static final ThreadPoolExecutor WORKERS =
      Parallel.daemonThreads("spiderpool-gc-endpoints-", WIDTH);

  private final KubernetesClient client;
  private final TermGate gate;

  /** Endpoints handed over and not yet done, by {@code namespace/name}: each is queued once. */
  private final Set<String> queued = ConcurrentHashMap.newKeySet();

  /** Clean-ups queued and not yet ended; guarded by {@code this}. */
  private int pending;

  EndpointJanitor(KubernetesClient client, TermGate gate) {
    this.client = client;
    this.gate = gate;
  }

  /**
   * Queues {@link #delete(String, String, SpiderEndpoint)} and returns at once; an endpoint already
   * queued is not queued twice.
   */
  void deleteLater(String namespace, String name, SpiderEndpoint read) {
    decideLater(namespace, name, () -> read);
  }

  /**
   * Like {@link #deleteLater}, but which incarnation to delete, if any, is decided in the
   * background: {@code decide} returns the endpoint as the read it decided on returned it, or null
   * to leave the endpoint alone.
   */
  void decideLater(String namespace, String name, Supplier<SpiderEndpoint> decide) {
    String key = namespace + "/" + name;
    if (!queued.add(key)) {
      return;
    }
    started();
    try {
      WORKERS.execute(
          () -> {
            try {
              SpiderEndpoint read = decide.get();
              if (read != null) {
                delete(namespace, name, read);
              }
            } catch (TermGate.Fenced e) {
              // the term ended: nothing was written
            } catch (RuntimeException e) {
              LOG.log(
                  Level.WARNING,
                  "SpiderEndpoint " + key + " of a gone Pod not deleted: " + e.getMessage(),
                  e);
            } finally {
              queued.remove(key);
              ended();
            }
          });
    } catch (RuntimeException e) {
      queued.remove(key);
      ended();
      throw e;
    }
  }

  private synchronized void started() {
    pending++;
  }

  private synchronized void ended() {
    if (--pending == 0) {
      notifyAll();
    }
  }

  /** Waits until no clean-up is queued or running. */
  synchronized void drain() {
    boolean interrupted = false;
    while (pending > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Deletes the incarnation {@code read} (the object as the GC's confirming read returned it),
   * guarded by that read's resourceVersion; if the endpoint changed since, decides again on a fresh
   * read whether it still belongs to the same Pod. Returns true when it is gone.
   */
  boolean delete(String namespace, String name, SpiderEndpoint read) {
    String ownerUid = uid(read);
    if (ownerUid == null) {
      return false;
    }
    Boolean done = attempt(namespace, name, read, ownerUid);
    return done != null ? done : delete(namespace, name, ownerUid);
  }

  /** Returns true when the endpoint of {@code ownerUid} is gone (or was never there). */
  boolean delete(String namespace, String name, String ownerUid) {
    var res = client.resources(SpiderEndpoint.class).inNamespace(namespace).withName(name);
    SpiderEndpoint e = res.get();
    if (e == null) {
      return true;
    }
    Boolean done = attempt(namespace, name, e, ownerUid);
    return done != null && done;
  }

  private static String uid(SpiderEndpoint e) {
    return e == null || e.getStatus() == null || e.getStatus().getCurrent() == null
        ? null
        : e.getStatus().getCurrent().getUid();
  }

  /**
   * Unfinalizes and deletes {@code e} if it still belongs to {@code ownerUid}, each write guarded
   * by the version of the one before. True: gone; false: another incarnation owns it; null: it
   * changed since {@code e} was read (409).
   */
  private Boolean attempt(String namespace, String name, SpiderEndpoint e, String ownerUid) {
    var res = client.resources(SpiderEndpoint.class).inNamespace(namespace).withName(name);
    if (!ownerUid.equals(uid(e))) {
      return false; // another incarnation owns it now
    }
    try {
      String version = e.getMetadata().getResourceVersion();
      List<String> finalizers = e.getMetadata().getFinalizers();
      if (finalizers != null && finalizers.contains(SpiderpoolApi.FINALIZER)) {
        List<String> rest = new ArrayList<>(finalizers);
        rest.remove(SpiderpoolApi.FINALIZER);
        e.getMetadata().setFinalizers(rest);
        version = gate.write(() -> client.resource(e).update()).getMetadata().getResourceVersion();
      }
      String locked = version;
      gate.write(() -> res.lockResourceVersion(locked).delete());
      return true;
    } catch (KubernetesClientException ex) {
      if (ex.getCode() == 404) {
        return true;
      }
      if (ex.getCode() == 409) {
        return null; // changed since read
      }
      throw ex;
    }
  }
}
