// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.store;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.k8s.ApiErrors;
import io.spiderpool.k8s.api.IPAllocationDetail;
import io.spiderpool.k8s.api.PodIPAllocation;
import io.spiderpool.k8s.api.Route;
import io.spiderpool.k8s.api.SpiderEndpoint;
import io.spiderpool.k8s.api.SpiderEndpointStatus;
import io.spiderpool.k8s.api.SpiderpoolApi;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.EndpointRecord;
import io.spiderpool.service.ipam.EndpointStore;
import io.spiderpool.service.ipam.PoolStore;
import java.util.ArrayList;
import java.util.List;

/** SpiderEndpoints, written as Spiderpool's agent writes them (finalizer, Pod owner reference). */
public final class KubernetesEndpointStore implements EndpointStore {
  private static final int DELETE_ATTEMPTS = 5;
  private final KubernetesClient client;

  public KubernetesEndpointStore(KubernetesClient client) {
    this.client = client;
  }

  /**
   * A failed call that names what it was doing and why, as a {@link TransientException} (CNI code
   * 11, try again later): before, the bare client message ("Connection was closed") reached the
   * runtime, from the plugin as an internal error (docs/reliability.md, fault 2).
   */
  private static TransientException failed(String what, KubernetesClientException e) {
    return new TransientException("cannot " + what + ": " + ApiErrors.named(e).getMessage(), e);
  }

  @Override
  public EndpointRecord get(String namespace, String name) {
    SpiderEndpoint e;
    try {
      e = client.resources(SpiderEndpoint.class).inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException ex) {
      throw failed("read SpiderEndpoint " + namespace + "/" + name, ex);
    }
    return e == null || e.getStatus() == null || e.getStatus().getCurrent() == null
        ? null
        : toRecord(e);
  }

  @Override
  public List<EndpointRecord> listOnNode(String node) {
    List<EndpointRecord> out = new ArrayList<>();
    List<SpiderEndpoint> all;
    try {
      all = client.resources(SpiderEndpoint.class).inAnyNamespace().list().getItems();
    } catch (KubernetesClientException ex) {
      throw failed("list SpiderEndpoints", ex);
    }
    for (SpiderEndpoint e : all) {
      if (e.getStatus() != null
          && e.getStatus().getCurrent() != null
          && node.equals(e.getStatus().getCurrent().getNode())) {
        out.add(toRecord(e));
      }
    }
    return out;
  }

  @Override
  public EndpointRecord create(EndpointRecord r) {
    SpiderEndpoint e = new SpiderEndpoint();
    e.getMetadata().setNamespace(r.namespace());
    e.getMetadata().setName(r.name());
    e.getMetadata().setFinalizers(List.of(SpiderpoolApi.FINALIZER));
    if (!r.stateful()) {
      e.getMetadata()
          .setOwnerReferences(
              List.of(
                  new OwnerReferenceBuilder()
                      .withApiVersion("v1")
                      .withKind("Pod")
                      .withName(r.name())
                      .withUid(r.uid())
                      .withController(true)
                      .withBlockOwnerDeletion(true)
                      .build()));
    }
    e.setStatus(toStatus(r));
    try {
      return toRecord(client.resource(e).create());
    } catch (KubernetesClientException ex) {
      if (ex.getCode() == 409) {
        throw new EndpointStore.AlreadyExists(
            "SpiderEndpoint " + r.namespace() + "/" + r.name() + " already exists");
      }
      throw failed("create SpiderEndpoint " + r.namespace() + "/" + r.name(), ex);
    }
  }

  @Override
  public EndpointRecord update(EndpointRecord r) {
    String what = "update SpiderEndpoint " + r.namespace() + "/" + r.name();
    SpiderEndpoint e;
    try {
      e =
          client
              .resources(SpiderEndpoint.class)
              .inNamespace(r.namespace())
              .withName(r.name())
              .get();
    } catch (KubernetesClientException ex) {
      throw failed(what, ex);
    }
    if (e == null
        || (r.resourceVersion() != null
            && !r.resourceVersion().equals(e.getMetadata().getResourceVersion()))) {
      throw new PoolStore.Conflict("SpiderEndpoint " + r.namespace() + "/" + r.name() + " changed");
    }
    e.setStatus(toStatus(r));
    try {
      return toRecord(client.resource(e).update());
    } catch (KubernetesClientException ex) {
      if (ex.getCode() == 409) {
        throw new PoolStore.Conflict(ex.getMessage());
      }
      throw failed(what, ex);
    }
  }

  /**
   * Reads the endpoint, checks that it still records {@code uid}, removes the finalizer with an
   * update guarded by the version read, then deletes guarded by the version written: a re-created
   * Pod's endpoint that replaced this one in between makes a step fail with 409, and the loop reads
   * again and finds the other UID.
   */
  @Override
  public boolean delete(String namespace, String name, String uid) {
    var res = client.resources(SpiderEndpoint.class).inNamespace(namespace).withName(name);
    for (int attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      try {
        SpiderEndpoint e = res.get();
        if (e == null || !uid.equals(uidOf(e))) {
          return false;
        }
        List<String> finalizers = e.getMetadata().getFinalizers();
        if (finalizers != null && finalizers.contains(SpiderpoolApi.FINALIZER)) {
          List<String> f = new ArrayList<>(finalizers);
          f.remove(SpiderpoolApi.FINALIZER);
          e.getMetadata().setFinalizers(f);
          e = client.resource(e).update();
        }
        res.lockResourceVersion(e.getMetadata().getResourceVersion()).delete();
        return true;
      } catch (KubernetesClientException ex) {
        if (ex.getCode() == 404) {
          return false;
        }
        if (ex.getCode() != 409) {
          throw failed("delete SpiderEndpoint " + namespace + "/" + name, ex);
        }
      }
    }
    throw new PoolStore.Conflict(
        "SpiderEndpoint "
            + namespace
            + "/"
            + name
            + " kept changing while it was"
            + " being deleted ("
            + DELETE_ATTEMPTS
            + " attempts)");
  }

  private static String uidOf(SpiderEndpoint e) {
    return e.getStatus() == null
            || e.getStatus().getCurrent() == null
            || e.getStatus().getCurrent().getUid() == null
        ? ""
        : e.getStatus().getCurrent().getUid();
  }

  private static SpiderEndpointStatus toStatus(EndpointRecord r) {
    PodIPAllocation cur = new PodIPAllocation();
    cur.setUid(r.uid());
    cur.setNode(r.node());
    List<IPAllocationDetail> ips = new ArrayList<>();
    for (EndpointRecord.Nic n : r.nics()) {
      IPAllocationDetail d = new IPAllocationDetail();
      d.setInterface(n.nic());
      d.setIpv4(n.ipv4());
      d.setIpv4Pool(n.ipv4Pool());
      d.setIpv4Gateway(n.ipv4Gateway());
      d.setIpv6(n.ipv6());
      d.setIpv6Pool(n.ipv6Pool());
      d.setIpv6Gateway(n.ipv6Gateway());
      d.setVlan(0L);
      if (n.ipv4Gateway() != null || n.ipv6Gateway() != null) {
        d.setCleanGateway(n.cleanGateway());
      }
      if (!n.routes().isEmpty()) {
        d.setRoutes(n.routes().stream().map(x -> new Route(x.dst(), x.gw())).toList());
      }
      ips.add(d);
    }
    cur.setIps(ips);
    SpiderEndpointStatus s = new SpiderEndpointStatus();
    s.setCurrent(cur);
    s.setOwnerControllerType(r.ownerKind());
    s.setOwnerControllerName(r.ownerName());
    return s;
  }

  private static EndpointRecord toRecord(SpiderEndpoint e) {
    PodIPAllocation cur = e.getStatus().getCurrent();
    List<EndpointRecord.Nic> nics = new ArrayList<>();
    if (cur.getIps() != null) {
      for (IPAllocationDetail d : cur.getIps()) {
        String nic = d.getInterface() == null ? "" : d.getInterface();
        List<AddResult.RouteConfig> routes =
            d.getRoutes() == null
                ? List.of()
                : d.getRoutes().stream()
                    .map(x -> new AddResult.RouteConfig(nic, x.getDst(), x.getGw()))
                    .toList();
        nics.add(
            new EndpointRecord.Nic(
                nic,
                d.getIpv4(),
                d.getIpv4Pool(),
                d.getIpv4Gateway(),
                d.getIpv6(),
                d.getIpv6Pool(),
                d.getIpv6Gateway(),
                Boolean.TRUE.equals(d.getCleanGateway()),
                routes));
      }
    }
    boolean stateful =
        e.getMetadata().getOwnerReferences() == null
            || e.getMetadata().getOwnerReferences().isEmpty();
    return new EndpointRecord(
        e.getMetadata().getNamespace(),
        e.getMetadata().getName(),
        cur.getUid(),
        cur.getNode(),
        e.getStatus().getOwnerControllerType(),
        e.getStatus().getOwnerControllerName(),
        nics,
        stateful && "StatefulSet".equals(e.getStatus().getOwnerControllerType()),
        e.getMetadata().getResourceVersion());
  }
}
