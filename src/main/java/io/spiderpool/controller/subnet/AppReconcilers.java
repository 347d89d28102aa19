// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.spiderpool.k8s.subnet.AppKind;
import java.util.List;

/**
 * One {@link AppReconciler} per workload kind. The Java Operator SDK reads a reconciler's resource
 * type from its class's type argument, so each kind is a class of its own; {@code @Ignore} keeps
 * Quarkus from making them beans (the controller role builds them per term).
 */
public final class AppReconcilers {
  private AppReconcilers() {}

  /** A reconciler for each kind of {@link AppKind#ALL}. */
  public static List<AppReconciler<?>> all(AppReconciler.Shared shared) {
    return List.of(
        new Deployments(shared),
        new ReplicaSets(shared),
        new StatefulSets(shared),
        new DaemonSets(shared),
        new Jobs(shared),
        new CronJobs(shared));
  }

  @Ignore
  static final class Deployments extends AppReconciler<Deployment> {
    Deployments(Shared shared) {
      super(AppKind.DEPLOYMENT, shared);
    }
  }

  @Ignore
  static final class ReplicaSets extends AppReconciler<ReplicaSet> {
    ReplicaSets(Shared shared) {
      super(AppKind.REPLICA_SET, shared);
    }
  }

  @Ignore
  static final class StatefulSets extends AppReconciler<StatefulSet> {
    StatefulSets(Shared shared) {
      super(AppKind.STATEFUL_SET, shared);
    }
  }

  @Ignore
  static final class DaemonSets extends AppReconciler<DaemonSet> {
    DaemonSets(Shared shared) {
      super(AppKind.DAEMON_SET, shared);
    }
  }

  @Ignore
  static final class Jobs extends AppReconciler<Job> {
    Jobs(Shared shared) {
      super(AppKind.JOB, shared);
    }
  }

  @Ignore
  static final class CronJobs extends AppReconciler<CronJob> {
    CronJobs(Shared shared) {
      super(AppKind.CRON_JOB, shared);
    }
  }
}
