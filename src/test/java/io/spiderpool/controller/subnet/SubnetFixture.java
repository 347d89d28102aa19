// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.alloc.PoolRecords;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.ControlledPools;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderSubnetSpec;
import io.spiderpool.service.ipam.AddRequest;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.IpamService;
import io.spiderpool.service.ipam.ReleaseRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Objects for SpiderSubnet tests on the shared control plane: subnets, the six workload kinds (API
 * objects only: no kube-controller-manager runs, so a test sets replicas, a DaemonSet's {@code
 * desiredNumberScheduled} and the owner chain of Pods itself), Pods, and reads of the auto-pools
 * and the subnet records. {@link #close()} removes finalizers, then what it made.
 */
public final class SubnetFixture implements AutoCloseable {
  static final String IMAGE = "registry.invalid/pause";
  public final KubernetesClient admin;
  public final String ns;
  private final List<String> subnets = new ArrayList<>();

  public SubnetFixture(KubernetesClient admin, String ns) {
    this.admin = admin;
    this.ns = ns;
    admin
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .serverSideApply();
  }

  // ---- subnets -------------------------------------------------------------------------------

  public SpiderSubnet subnet(
      String name, String cidr, List<String> ips, List<String> exclude, String gateway) {
    SpiderSubnet s = new SpiderSubnet();
    s.getMetadata().setName(name);
    SpiderSubnetSpec spec = new SpiderSubnetSpec();
    spec.setSubnet(cidr);
    spec.setIpVersion(cidr.contains(":") ? 6L : 4L);
    spec.setIps(ips);
    spec.setExcludeIPs(exclude);
    spec.setGateway(gateway);
    s.setSpec(spec);
    subnets.add(name);
    return admin.resource(s).create();
  }

  /** A subnet made elsewhere in a test, removed with the fixture's. */
  public void track(String subnet) {
    subnets.add(subnet);
  }

  public SpiderSubnet subnetNow(String name) {
    return admin.resources(SpiderSubnet.class).withName(name).get();
  }

  public ControlledPools controlled(String subnet) {
    SpiderSubnet s = subnetNow(subnet);
    return ControlledPools.parse(
        s == null || s.getStatus() == null ? null : s.getStatus().getControlledIPPools());
  }

  /** Rewrites a subnet's spec, retrying lost races. */
  public void editSubnet(String name, UnaryOperator<SpiderSubnet> change) {
    retry(() -> admin.resources(SpiderSubnet.class).withName(name).edit(change));
  }

  // ---- applications --------------------------------------------------------------------------

  /** A Pod template with these annotations (and optionally the host's network). */
  public static PodTemplateSpec template(
      String app, Map<String, String> annotations, boolean hostNetwork, String restartPolicy) {
    PodSpec spec =
        new PodSpecBuilder()
            .addNewContainer()
            .withName("c")
            .withImage(IMAGE)
            .endContainer()
            .withHostNetwork(hostNetwork)
            .withRestartPolicy(restartPolicy)
            .build();
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(Map.of("app", app))
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  public Deployment deployment(String name, int replicas, Map<String, String> annotations) {
    return admin
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withTemplate(template(name, annotations, false, "Always"))
                .endSpec()
                .build())
        .create();
  }

  public ReplicaSet replicaSet(
      String name, int replicas, Map<String, String> annotations, OwnerReference owner) {
    ReplicaSetBuilder b =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withTemplate(template(name, annotations, false, "Always"))
            .endSpec();
    if (owner != null) {
      b.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return admin.resource(b.build()).create();
  }

  public StatefulSet statefulSet(String name, int replicas, Map<String, String> annotations) {
    return admin
        .resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(name)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withTemplate(template(name, annotations, false, "Always"))
                .endSpec()
                .build())
        .create();
  }

  /** A DaemonSet, and its status as the DaemonSet controller would count {@code nodes}. */
  public DaemonSet daemonSet(String name, int nodes, Map<String, String> annotations) {
    DaemonSet ds =
        admin
            .resource(
                new DaemonSetBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(ns)
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .withTemplate(template(name, annotations, false, "Always"))
                    .endSpec()
                    .build())
            .create();
    return scheduleDaemonSet(ds, nodes);
  }

  public DaemonSet scheduleDaemonSet(DaemonSet ds, int nodes) {
    DaemonSet fresh =
        admin.apps().daemonSets().inNamespace(ns).withName(ds.getMetadata().getName()).get();
    fresh.setStatus(
        new DaemonSetStatusBuilder()
            .withDesiredNumberScheduled(nodes)
            .withCurrentNumberScheduled(0)
            .withNumberMisscheduled(0)
            .withNumberReady(0)
            .build());
    return admin.resource(fresh).updateStatus();
  }

  public Job job(
      String name,
      Integer parallelism,
      Integer completions,
      Map<String, String> annotations,
      OwnerReference owner) {
    JobBuilder b =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withNewSpec()
            .withParallelism(parallelism)
            .withCompletions(completions)
            .withTemplate(template(name, annotations, false, "Never"))
            .endSpec();
    if (owner != null) {
      b.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return admin.resource(b.build()).create();
  }

  public CronJob cronJob(String name, Integer parallelism, Map<String, String> annotations) {
    return admin
        .resource(
            new CronJobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withSchedule("*/5 * * * *")
                .withNewJobTemplate()
                .withNewSpec()
                .withParallelism(parallelism)
                .withTemplate(template(name, annotations, false, "Never"))
                .endSpec()
                .endJobTemplate()
                .endSpec()
                .build())
        .create();
  }

  public void scaleDeployment(String name, int replicas) {
    retry(
        () ->
            admin
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName(name)
                .edit(
                    d -> {
                      d.getSpec().setReplicas(replicas);
                      return d;
                    }));
  }

  /** The controller owner reference a child carries. */
  public static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * A running Pod owned by {@code owner} (its template's annotations copied, as a controller
   * would).
   */
  public Pod pod(String name, OwnerReference owner, Map<String, String> annotations) {
    Pod p =
        admin
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(ns)
                    .withOwnerReferences(owner == null ? List.of() : List.of(owner))
                    .withAnnotations(annotations)
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName("subnet-node")
                    .withTerminationGracePeriodSeconds(0L)
                    .addNewContainer()
                    .withName("c")
                    .withImage(IMAGE)
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    p.setStatus(new PodStatusBuilder().withPhase("Running").build());
    return admin.resource(p).updateStatus();
  }

  /** The ADD a runtime would send for the Pod's {@code nic}. */
  public AddResult add(IpamService engine, Pod p, String nic) {
    return engine.allocate(
        new AddRequest(
            "cid-" + p.getMetadata().getName(),
            nic,
            "/var/run/netns/x",
            ns,
            p.getMetadata().getName(),
            p.getMetadata().getUid(),
            List.of(),
            List.of(),
            false,
            false));
  }

  /**
   * Deletes the Pod and sends the DEL its runtime would (the record is released at once, no GC
   * needed).
   */
  public void deletePodAndRelease(IpamService engine, Pod p) {
    admin.pods().inNamespace(ns).withName(p.getMetadata().getName()).withGracePeriod(0).delete();
    engine.release(
        new ReleaseRequest(
            "cid-" + p.getMetadata().getName(),
            "eth0",
            "/var/run/netns/x",
            ns,
            p.getMetadata().getName(),
            p.getMetadata().getUid(),
            false));
  }

  // ---- auto-pools ----------------------------------------------------------------------------

  /** The auto-pools of an application (any interface and family), sorted by name. */
  public List<SpiderIPPool> poolsOf(String kind, String app) {
    List<SpiderIPPool> out =
        new ArrayList<>(
            admin
                .resources(SpiderIPPool.class)
                .withLabel(AutoPoolLabels.OWNER_KIND, kind)
                .withLabel(AutoPoolLabels.OWNER_NAMESPACE, ns)
                .withLabel(AutoPoolLabels.OWNER_NAME, app)
                .list()
                .getItems());
    out.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return out;
  }

  public Optional<SpiderIPPool> poolOf(String kind, String app, String nic, IpFamily family) {
    return poolsOf(kind, app).stream()
        .filter(
            p ->
                nic.equals(p.getMetadata().getLabels().get(AutoPoolLabels.INTERFACE))
                    && family
                        .toString()
                        .equals(p.getMetadata().getLabels().get(AutoPoolLabels.IP_VERSION)))
        .findFirst();
  }

  public static RangeSet ips(SpiderIPPool p) {
    return RangeList.parse("spec.ips", p.getSpec().getIps(), Cidr.parse(p.getSpec().getSubnet()));
  }

  public static RangeSet allocated(SpiderIPPool p) {
    return PoolRecords.parse(p.getStatus() == null ? null : p.getStatus().getAllocatedIPs())
        .used(Cidr.parse(p.getSpec().getSubnet()).family());
  }

  public static void retry(Runnable write) {
    for (int attempt = 0; ; attempt++) {
      try {
        write.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  /**
   * Removes finalizers and deletes the namespace's workloads and Pods, the subnets and their pools.
   */
  @Override
  public void close() {
    admin.apps().deployments().inNamespace(ns).delete();
    admin.apps().replicaSets().inNamespace(ns).delete();
    admin.apps().statefulSets().inNamespace(ns).delete();
    admin.apps().daemonSets().inNamespace(ns).delete();
    admin.batch().v1().jobs().inNamespace(ns).delete();
    admin.batch().v1().cronjobs().inNamespace(ns).delete();
    admin.pods().inNamespace(ns).withGracePeriod(0).delete();
    for (SpiderIPPool p : admin.resources(SpiderIPPool.class).list().getItems()) {
      String owner =
          p.getMetadata().getLabels() == null
              ? null
              : p.getMetadata().getLabels().get(AutoPoolLabels.OWNER_SUBNET);
      if (subnets.contains(owner)) {
        unfinalizeAndDelete(p);
      }
    }
    for (String name : subnets) {
      SpiderSubnet s = subnetNow(name);
      if (s != null) {
        unfinalizeAndDelete(s);
      }
    }
  }

  private <T extends HasMetadata> void unfinalizeAndDelete(T o) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) o.getClass();
    var res = admin.resources(type).withName(o.getMetadata().getName());
    try {
      retry(
          () ->
              res.edit(
                  x -> {
                    x.getMetadata().setFinalizers(new ArrayList<>());
                    return x;
                  }));
      res.delete();
    } catch (KubernetesClientException gone) {
      if (gone.getCode() != 404) {
        throw gone;
      }
    }
  }

  /**
   * Labels Spiderpool's controller puts on an auto-pool (docs/subnet.md#auto-pools), for exact
   * comparison.
   */
  public static Map<String, String> spiderpoolLabels(
      String cidrLabel,
      String subnet,
      String gv,
      String kind,
      String ns,
      String app,
      String uid,
      String nic,
      IpFamily family,
      boolean reclaim) {
    Map<String, String> m = new HashMap<>();
    m.put("ipam.spidernet.io/ippool-cidr", cidrLabel);
    m.put("ipam.spidernet.io/owner-spider-subnet", subnet);
    m.put("ipam.spidernet.io/owner-application-gv", gv);
    m.put("ipam.spidernet.io/owner-application-kind", kind);
    m.put("ipam.spidernet.io/owner-application-namespace", ns);
    m.put("ipam.spidernet.io/owner-application-name", app);
    m.put("ipam.spidernet.io/owner-application-uid", uid);
    m.put("ipam.spidernet.io/interface", nic);
    m.put("ipam.spidernet.io/ip-version", family == IpFamily.V4 ? "IPv4" : "IPv6");
    m.put("ipam.spidernet.io/ippool-reclaim", Boolean.toString(reclaim));
    return m;
  }
}
