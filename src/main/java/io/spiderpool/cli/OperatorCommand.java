// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.k8s.ops.OperatorError;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that talk to a cluster: connects, runs, and turns every failure into one
 * line on stderr that says what to do, and an exit status of docs/cli.md#exit-codes.
 */
abstract class OperatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClusterOptions cluster;

  /** The command's work; returns its exit status. */
  abstract int run(KubernetesClient client, PrintWriter out, PrintWriter err) throws Exception;

  /** Checks the arguments before anything connects; throws picocli's ParameterException. */
  void checkArguments() {}

  @Override
  public Integer call() throws Exception {
    checkArguments();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String name = spec.qualifiedName();
    try (KubernetesClient client = cluster.connect()) {
      return run(client, out, err);
    } catch (OperatorError e) {
      err.println(name + ": " + e.getMessage());
      return switch (e.reason()) {
        case REFUSED -> ExitCodes.REFUSED;
        case NOT_FOUND -> ExitCodes.NOT_FOUND;
        case BAD_REQUEST -> ExitCodes.USAGE;
      };
    } catch (InvalidInputException e) {
      err.println(name + ": " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (KubernetesClientException e) {
      err.println(name + ": " + describe(e));
      return ExitCodes.CLUSTER;
    } catch (TransientException e) {
      // the stores name a failed API call as transient (io.spiderpool.k8s.ApiErrors)
      if (e.getCause() instanceof KubernetesClientException k) {
        err.println(name + ": " + describe(k));
        return ExitCodes.CLUSTER;
      }
      throw e;
    } finally {
      err.flush();
      out.flush();
    }
  }

  private static String describe(KubernetesClientException e) {
    if (e.getCode() == 401 || e.getCode() == 403) {
      return "the API server refused the request ("
          + e.getCode()
          + "): "
          + e.getStatus().getMessage()
          + "; the credentials of the kubeconfig need read access to spiderpool.spidernet.io"
          + " objects and Pods (and write access for release, allocate and check --fix)";
    }
    if (e.getCode() == 404 && String.valueOf(e.getMessage()).contains("spiderpool")) {
      return "the Spiderpool CRDs are not installed in this cluster ("
          + e.getMessage()
          + "); install the chart first";
    }
    if (e.getCode() > 0) {
      return "the API server answered " + e.getCode() + ": " + e.getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return "cannot reach the API server: "
        + root.getMessage()
        + "; check --kubeconfig, KUBECONFIG or the in-cluster service account";
  }
}
