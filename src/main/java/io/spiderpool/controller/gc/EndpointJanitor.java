// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.gc;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.controller.fence.TermGate;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderpoolApi;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes a SpiderEndpoint the GC has released, and removes its finalizer — but only the
 * incarnation it decided about: the finalizer removal is guarded by the resourceVersion of a read
 * that still showed the expected owner UID, and the delete by the version that removal produced, so
 * an endpoint re-created or re-owned meanwhile is left alone.
 */
final class EndpointJanitor {
  private final KubernetesClient client;
  private final TermGate gate;

  EndpointJanitor(KubernetesClient client, TermGate gate) {
    this.client = client;
    this.gate = gate;
  }

  /** Returns true when the endpoint of {@code ownerUid} is gone (or was never there). */
  boolean delete(String namespace, String name, String ownerUid) {
    var res = client.resources(SpiderEndpoint.class).inNamespace(namespace).withName(name);
    SpiderEndpoint e = res.get();
    if (e == null) {
      return true;
    }
    if (e.getStatus() == null
        || e.getStatus().getCurrent() == null
        || !ownerUid.equals(e.getStatus().getCurrent().getUid())) {
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
        return false; // changed since read: the next reconcile decides again
      }
      throw ex;
    }
  }
}
