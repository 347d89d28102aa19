// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API server's audit log (hack/cluster-up.sh records every request of a ServiceAccount with its
 * response code), read for the ServiceAccounts of one namespace: which requests RBAC refused (403),
 * and which verb/resource pairs each account used.
 */
record RbacAudit(
    List<String> denied, List<String> deniedAfter, List<JsonNode> events, String namespace) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Requests from {@code from} (the test class's start: the log is shared) before {@code
   * uninstallStarted} go to {@link #denied()}, later ones to {@link #deniedAfter()}: helm uninstall
   * deletes the RBAC objects while the daemon Pods are still shutting down, which is Helm's order
   * and not a missing permission.
   */
  static RbacAudit read(Path log, String namespace, Instant from, Instant uninstallStarted)
      throws IOException {
    String prefix = "system:serviceaccount:" + namespace + ":";
    List<String> denied = new ArrayList<>();
    List<String> deniedAfter = new ArrayList<>();
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode e = JSON.readTree(line);
      if (!e.path("user").path("username").asText().startsWith(prefix)
          || Instant.parse(e.path("stageTimestamp").asText()).isBefore(from)) {
        continue;
      }
      events.add(e);
      if (e.path("responseStatus").path("code").asInt() == 403) {
        String what =
            e.path("user").path("username").asText()
                + " "
                + request(e)
                + " "
                + e.path("requestURI").asText()
                + ": "
                + e.path("responseStatus").path("message").asText();
        boolean after =
            uninstallStarted != null
                && Instant.parse(e.path("stageTimestamp").asText()).isAfter(uninstallStarted);
        (after ? deniedAfter : denied).add(what);
      }
    }
    return new RbacAudit(denied, deniedAfter, events, namespace);
  }

  /**
   * The requests refused after uninstall began that a stopping daemon has no business making, as
   * "verb group/resource", without repeats. Helm deletes the ClusterRoles and the DaemonSet in one
   * go, so until its Pod is stopped the daemon's informers re-list and re-watch and its Lease is
   * renewed and released, each of which may be refused then; a refused write to anything else would
   * mean the daemon was still changing IPAM state while being uninstalled.
   */
  Set<String> deniedAfterBeyondShutdown() {
    Set<String> out = new TreeSet<>();
    for (String d : deniedAfter) {
      String verb = d.split(" ")[1];
      String resource = d.split(" ")[2];
      boolean read = verb.equals("get") || verb.equals("list") || verb.equals("watch");
      if (!read && !resource.equals("coordination.k8s.io/leases")) {
        out.add(verb + " " + resource);
      }
    }
    return out;
  }

  /** "verb group/resource[/subresource]" of every request the account made. */
  Set<String> seen(String serviceAccount) {
    String user = "system:serviceaccount:" + namespace + ":" + serviceAccount;
    Set<String> out = new TreeSet<>();
    for (JsonNode e : events) {
      if (e.path("user").path("username").asText().equals(user)) {
        out.add(request(e));
      }
    }
    return out;
  }

  private static String request(JsonNode e) {
    JsonNode o = e.path("objectRef");
    String sub = o.path("subresource").asText();
    return e.path("verb").asText()
        + " "
        + o.path("apiGroup").asText()
        + "/"
        + o.path("resource").asText()
        + (sub.isEmpty() ? "" : "/" + sub);
  }
}
