// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * SpiderEndpoints in memory with the API server's rules: a create of an existing name fails, an
 * update must carry the version it read, a delete names the incarnation (UID) it removes. For
 * engine tests that run without a server. {@link #beforeWrite} lets a test interleave another
 * node's work at the moment this store is written.
 */
final class InMemoryEndpointStore implements EndpointStore {
  private final Map<String, EndpointRecord> byKey = new TreeMap<>();
  private final AtomicInteger version = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();

  /** Runs before every create, update and delete, outside the store's lock (null: nothing). */
  volatile Consumer<String> beforeWrite;

  /**
   * Runs after a create or update was stored, outside the lock (null: nothing): a throw here is a
   * write that landed while its answer was lost.
   */
  volatile Consumer<String> afterWrite;

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public synchronized EndpointRecord get(String namespace, String name) {
    reads.incrementAndGet();
    return byKey.get(key(namespace, name));
  }

  /** The stored endpoint without counting a read (for assertions). */
  synchronized EndpointRecord peek(String namespace, String name) {
    return byKey.get(key(namespace, name));
  }

  synchronized int size() {
    return byKey.size();
  }

  /** The endpoint of the last create called, before its hook ran (null: none yet). */
  volatile EndpointRecord lastCreateAttempt;

  /** Stores {@code endpoint} as a create would, without hooks: a write that lands late. */
  synchronized void land(EndpointRecord endpoint) {
    byKey.put(key(endpoint.namespace(), endpoint.name()), withVersion(endpoint));
  }

  @Override
  public EndpointRecord create(EndpointRecord endpoint) {
    lastCreateAttempt = endpoint;
    hook("create " + key(endpoint.namespace(), endpoint.name()));
    EndpointRecord stored;
    synchronized (this) {
      String k = key(endpoint.namespace(), endpoint.name());
      if (byKey.containsKey(k)) {
        throw new EndpointStore.AlreadyExists("SpiderEndpoint " + k + " already exists");
      }
      writes.incrementAndGet();
      stored = withVersion(endpoint);
      byKey.put(k, stored);
    }
    landed("create " + key(endpoint.namespace(), endpoint.name()));
    return stored;
  }

  private void landed(String what) {
    Consumer<String> after = afterWrite;
    if (after != null) {
      after.accept(what);
    }
  }

  @Override
  public EndpointRecord update(EndpointRecord endpoint) {
    hook("update " + key(endpoint.namespace(), endpoint.name()));
    EndpointRecord stored;
    synchronized (this) {
      String k = key(endpoint.namespace(), endpoint.name());
      EndpointRecord cur = byKey.get(k);
      if (cur == null
          || (endpoint.resourceVersion() != null
              && !endpoint.resourceVersion().equals(cur.resourceVersion()))) {
        throw new PoolStore.Conflict("SpiderEndpoint " + k + " changed");
      }
      writes.incrementAndGet();
      stored = withVersion(endpoint);
      byKey.put(k, stored);
    }
    landed("update " + key(endpoint.namespace(), endpoint.name()));
    return stored;
  }

  @Override
  public synchronized List<EndpointRecord> listOnNode(String node) {
    List<EndpointRecord> out = new ArrayList<>();
    for (EndpointRecord e : byKey.values()) {
      if (node.equals(e.node())) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public boolean delete(String namespace, String name, String uid) {
    hook("delete " + key(namespace, name));
    synchronized (this) {
      EndpointRecord cur = byKey.get(key(namespace, name));
      if (cur == null || !cur.uid().equals(uid)) {
        return false;
      }
      writes.incrementAndGet();
      byKey.remove(key(namespace, name));
      return true;
    }
  }

  /** Puts an endpoint as another process would have written it. */
  synchronized EndpointRecord put(EndpointRecord endpoint) {
    EndpointRecord stored = withVersion(endpoint);
    byKey.put(key(endpoint.namespace(), endpoint.name()), stored);
    return stored;
  }

  private EndpointRecord withVersion(EndpointRecord e) {
    return new EndpointRecord(
        e.namespace(),
        e.name(),
        e.uid(),
        e.node(),
        e.ownerKind(),
        e.ownerName(),
        e.nics(),
        e.stateful(),
        String.valueOf(version.incrementAndGet()));
  }

  private void hook(String what) {
    Consumer<String> h = beforeWrite;
    if (h != null) {
      h.accept(what);
    }
  }
}
