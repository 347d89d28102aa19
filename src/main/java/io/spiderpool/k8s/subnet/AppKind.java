// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.subnet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.spiderpool.core.pool.TopController;
import io.spiderpool.core.subnet.AutoPoolSize;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One of Kubernetes' own workload kinds whose Pods can ask for an auto-pool
 * (docs/subnet.md#auto-pools): where its Pod template is and how many Pods it wants, read as
 * Spiderpool reads it.
 *
 * @param template the Pod template (a CronJob's is in its job template)
 * @param replicas the Pods it wants: {@code spec.replicas}; a DaemonSet's {@code
 *     status.desiredNumberScheduled}; a Job's completions, else parallelism, else 1
 */
public record AppKind<T extends HasMetadata>(
    String apiVersion,
    String kind,
    Class<T> type,
    Function<T, PodTemplateSpec> template,
    ToIntFunction<T> replicas) {

  public static final AppKind<Deployment> DEPLOYMENT =
      new AppKind<>(
          "apps/v1",
          "Deployment",
          Deployment.class,
          d -> d.getSpec().getTemplate(),
          d -> AutoPoolSize.ofReplicas(d.getSpec().getReplicas()));
  public static final AppKind<ReplicaSet> REPLICA_SET =
      new AppKind<>(
          "apps/v1",
          "ReplicaSet",
          ReplicaSet.class,
          r -> r.getSpec().getTemplate(),
          r -> AutoPoolSize.ofReplicas(r.getSpec().getReplicas()));
  public static final AppKind<StatefulSet> STATEFUL_SET =
      new AppKind<>(
          "apps/v1",
          "StatefulSet",
          StatefulSet.class,
          s -> s.getSpec().getTemplate(),
          s -> AutoPoolSize.ofReplicas(s.getSpec().getReplicas()));
  public static final AppKind<DaemonSet> DAEMON_SET =
      new AppKind<>(
          "apps/v1",
          "DaemonSet",
          DaemonSet.class,
          d -> d.getSpec().getTemplate(),
          d ->
              AutoPoolSize.ofDaemonSet(
                  d.getStatus() == null ? null : d.getStatus().getDesiredNumberScheduled()));
  public static final AppKind<Job> JOB =
      new AppKind<>(
          "batch/v1", "Job", Job.class, j -> j.getSpec().getTemplate(), j -> jobPods(j.getSpec()));
  public static final AppKind<CronJob> CRON_JOB =
      new AppKind<>(
          "batch/v1",
          "CronJob",
          CronJob.class,
          c -> c.getSpec().getJobTemplate().getSpec().getTemplate(),
          c -> jobPods(c.getSpec().getJobTemplate().getSpec()));

  /** Every kind, in Spiderpool's order. */
  public static final List<AppKind<?>> ALL =
      List.of(DEPLOYMENT, REPLICA_SET, STATEFUL_SET, DAEMON_SET, JOB, CRON_JOB);

  private static int jobPods(JobSpec s) {
    return AutoPoolSize.ofJob(s.getParallelism(), s.getCompletions());
  }

  /** The kind of {@code apiVersion}/{@code kind}, if it is one of these. */
  public static Optional<AppKind<?>> of(String apiVersion, String kind) {
    return ALL.stream()
        .filter(k -> k.apiVersion.equals(apiVersion) && k.kind.equals(kind))
        .findFirst();
  }

  /** The template's annotations, empty when it has none. */
  public Map<String, String> annotations(T app) {
    PodTemplateSpec t = template.apply(app);
    return t == null || t.getMetadata() == null || t.getMetadata().getAnnotations() == null
        ? Map.of()
        : t.getMetadata().getAnnotations();
  }

  /** Whether its Pods use the host's network (they get no address from IPAM). */
  public boolean hostNetwork(T app) {
    PodTemplateSpec t = template.apply(app);
    return t != null && t.getSpec() != null && Boolean.TRUE.equals(t.getSpec().getHostNetwork());
  }

  /**
   * Whether another controller runs it (a Deployment's ReplicaSet, a CronJob's Job): then the pool
   * belongs to that top controller, and Spiderpool ignores this object.
   */
  public boolean hasController(T app) {
    List<OwnerReference> owners = app.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()));
  }

  /** The application as a top controller. */
  public TopController top(T app) {
    return new TopController(
        apiVersion,
        kind,
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        app.getMetadata().getUid());
  }

  public int replicasOf(T app) {
    return replicas.applyAsInt(app);
  }
}
