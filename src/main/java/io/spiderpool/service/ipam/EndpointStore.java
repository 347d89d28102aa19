// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.List;

/** Where SpiderEndpoints live. Reads are fresh; updates are guarded by resourceVersion. */
public interface EndpointStore {

  /** The Pod's endpoint, or null. */
  EndpointRecord get(String namespace, String name);

  /**
   * Creates the endpoint with the finalizer; a stateless one gets an owner reference to the Pod
   * with {@code podUid}, so Kubernetes collects it once the finalizer is gone.
   *
   * @throws AlreadyExists when an endpoint of that name exists
   */
  EndpointRecord create(EndpointRecord endpoint);

  /** Replaces status; throws {@link PoolStore.Conflict} on a stale resourceVersion. */
  EndpointRecord update(EndpointRecord endpoint);

  /** Every endpoint whose current owner runs on {@code node}. */
  List<EndpointRecord> listOnNode(String node);

  /**
   * Removes the finalizer and deletes the endpoint, but only while it still records the Pod
   * incarnation {@code uid}: an endpoint that meanwhile belongs to a re-created Pod of the same
   * name is left alone. Returns whether this call removed it; absent is fine (false).
   */
  boolean delete(String namespace, String name, String uid);

  /** A create found an endpoint of that name already (the API server's 409 AlreadyExists). */
  final class AlreadyExists extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AlreadyExists(String message) {
      super(message);
    }
  }
}
