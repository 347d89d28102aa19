// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.service.ipam.AddRequest;
import io.spiderpool.service.ipam.ReleaseRequest;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one log line per agent request, written at the boundary with the owner in context, as
 * Spiderpool's handlers log: {@code op=ADD containerID=.. ifName=.. netns=.. pod=ns/name podUID=..
 * status=200 duration=3ms}, plus {@code error="..."} on failure. Successes log at INFO, refusals
 * and failures at WARNING; the layers below never log what they throw.
 */
final class RequestLog {
  private static final Logger LOG = Logger.getLogger("io.spiderpool.daemon.agent");

  private final String context;

  private RequestLog(String context) {
    this.context = context;
  }

  static RequestLog add(AddRequest r) {
    return new RequestLog(
        fields(
            "ADD",
            r.containerId(),
            r.ifName(),
            r.netNamespace(),
            r.podNamespace(),
            r.podName(),
            r.podUid()));
  }

  static RequestLog release(ReleaseRequest r) {
    return new RequestLog(
        fields(
                r.allInterfaces() ? "BATCH_DEL" : "DEL",
                r.containerId(),
                r.ifName(),
                r.netNamespace(),
                r.podNamespace(),
                r.podName(),
                r.podUid())
            + (r.releaseConflictIps() ? " isReleaseConflictIPs=true" : ""));
  }

  static RequestLog lookup(String namespace, String name) {
    return new RequestLog("op=GET_ENDPOINT pod=" + namespace + "/" + name);
  }

  private static String fields(
      String op,
      String containerId,
      String ifName,
      String netns,
      String podNamespace,
      String podName,
      String podUid) {
    return "op="
        + op
        + " containerID="
        + containerId
        + " ifName="
        + (ifName == null ? "*" : ifName)
        + " netns="
        + netns
        + " pod="
        + podNamespace
        + "/"
        + podName
        + " podUID="
        + podUid;
  }

  void ok(Duration took) {
    LOG.info(context + " status=200 duration=" + millis(took));
  }

  void refused(int status, String why) {
    LOG.warning(context + " status=" + status + " error=" + quoted(why));
  }

  void failed(int status, RuntimeException e, Duration took) {
    String line =
        context
            + " status="
            + status
            + " duration="
            + millis(took)
            + " error="
            + quoted(e.getMessage() != null ? e.getMessage() : e.toString());
    // a typed failure is the caller's business; anything else is a bug worth a stack trace
    if (e.getClass().getPackageName().startsWith("io.spiderpool.core.error")) {
      LOG.warning(line);
    } else {
      LOG.log(Level.WARNING, line, e);
    }
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }

  private static String quoted(String s) {
    return JsonWriter.write(s);
  }
}
