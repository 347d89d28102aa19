// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.subnet;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.subnet.AppRef;
import java.util.Optional;

/**
 * Whether an application an auto-pool or a subnet's record names still exists, read fresh from the
 * API server: Kubernetes' own kinds as typed objects, any other kind (a third-party controller's
 * custom resource) generically, its resource found through the API server's discovery.
 */
public final class Applications {
  private final KubernetesClient client;

  public Applications(KubernetesClient client) {
    this.client = client;
  }

  /** What a lookup found. */
  public enum Presence {
    PRESENT,
    ABSENT,
    UNKNOWN
  }

  /**
   * The application's UID, empty when it does not exist — including a kind the API server does not
   * serve (its CRD was deleted).
   *
   * @throws KubernetesClientException when the API server cannot say (the caller keeps what it has)
   */
  public Optional<String> uid(AppRef app) {
    HasMetadata found =
        AppKind.of(app.apiVersion(), app.kind())
            .<HasMetadata>map(
                k ->
                    client
                        .resources(k.type())
                        .inNamespace(app.namespace())
                        .withName(app.name())
                        .get())
            .orElseGet(() -> generic(app));
    return found == null ? Optional.empty() : Optional.ofNullable(found.getMetadata().getUid());
  }

  private GenericKubernetesResource generic(AppRef app) {
    try {
      return client
          .genericKubernetesResources(app.apiVersion(), app.kind())
          .inNamespace(app.namespace())
          .withName(app.name())
          .get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || isUnknownKind(e)) {
        return null;
      }
      throw e;
    }
  }

  /** fabric8 reports a kind discovery does not list as an error without an HTTP code. */
  private static boolean isUnknownKind(KubernetesClientException e) {
    String m = String.valueOf(e.getMessage());
    return e.getCode() <= 0
        && (m.contains("Could not find") || m.contains("not found") || m.contains("No resource"));
  }

  /**
   * Whether the application with this UID is alive; {@link Presence#UNKNOWN} when the API server
   * cannot say.
   */
  public Presence presence(AppRef app, String uid) {
    try {
      Optional<String> current = uid(app);
      return current.isPresent() && (uid == null || uid.equals(current.get()))
          ? Presence.PRESENT
          : Presence.ABSENT;
    } catch (KubernetesClientException e) {
      return Presence.UNKNOWN;
    }
  }
}
