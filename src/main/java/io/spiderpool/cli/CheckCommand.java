// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.k8s.check.ConsistencyChecker;
import io.spiderpool.k8s.check.ConsistencyReport;
import io.spiderpool.k8s.check.Inconsistency;
import io.spiderpool.k8s.check.Repair;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spiderpool check [--fix]} (docs/cli.md#spiderpool-check). */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Cross-check pool records, SpiderEndpoints, Pods, SpiderReservedIPs and pool counters;",
      "exit status 1 when anything is inconsistent. --fix applies only the safe repairs."
    })
public class CheckCommand extends OperatorCommand {
  @Option(
      names = "--fix",
      description =
          "free records and endpoints of Pods that are gone, recompute pool counters; print what"
              + " was done")
  boolean fix;

  @Override
  int run(KubernetesClient client, PrintWriter out, PrintWriter err) {
    ConsistencyChecker checker = new ConsistencyChecker(client, s -> err.println("... " + s));
    ConsistencyReport report = checker.check();
    List<Repair> repairs = List.of();
    ConsistencyReport after = report;
    if (fix && !report.consistent()) {
      repairs = checker.fix(report);
      after = checker.check();
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("pools", report.pools());
    doc.put("endpoints", report.endpoints());
    doc.put("pods", report.pods());
    doc.put("records", report.records());
    doc.put("inconsistencies", report.found());
    if (fix) {
      doc.put("repairs", repairs);
      doc.put("remaining", after.found());
    }
    if (!Render.structured(out, cluster.output, doc)) {
      out.println(
          "checked "
              + report.pools()
              + " pools, "
              + report.records()
              + " records, "
              + report.endpoints()
              + " endpoints, "
              + report.pods()
              + " pods: "
              + (report.consistent() ? "consistent" : report.found().size() + " inconsistencies"));
      if (!report.consistent()) {
        Render.Table t = new Render.Table("KIND", "POOL", "IP", "POD", "POD-UID", "DETAIL");
        for (Inconsistency i : report.found()) {
          t.row(i.kind(), i.pool(), i.ip(), i.pod(), i.podUid(), i.detail());
        }
        t.print(out);
      }
      if (fix) {
        out.println();
        out.println("repairs: " + repairs.size());
        for (Repair r : repairs) {
          out.println(
              (r.applied() ? "  done     " : "  skipped  ")
                  + r.target().kind()
                  + ": "
                  + r.action());
        }
        out.println(
            "after repair: "
                + (after.consistent()
                    ? "consistent"
                    : after.found().size()
                        + " inconsistencies left (not safe to repair automatically; see"
                        + " docs/cli.md#spiderpool-check)"));
      }
    }
    return after.consistent() ? ExitCodes.OK : ExitCodes.INCONSISTENT;
  }
}
