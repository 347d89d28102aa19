// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

/** Where SpiderEndpoints live. Reads are fresh; updates are guarded by resourceVersion. */
public interface EndpointStore {

  /** The Pod's endpoint, or null. */
  EndpointRecord get(String namespace, String name);

  /**
   * Creates the endpoint with the finalizer; a stateless one gets an owner reference to the Pod
   * with {@code podUid}, so Kubernetes collects it once the finalizer is gone.
   */
  EndpointRecord create(EndpointRecord endpoint);

  /** Replaces status; throws {@link PoolStore.Conflict} on a stale resourceVersion. */
  EndpointRecord update(EndpointRecord endpoint);

  /** Every endpoint whose current owner runs on {@code node}. */
  java.util.List<EndpointRecord> listOnNode(String node);

  /** Removes the finalizer and deletes the endpoint; absent is fine. */
  void delete(String namespace, String name);
}
