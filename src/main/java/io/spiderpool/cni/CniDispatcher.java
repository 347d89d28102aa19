// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.wire.CniCallRules;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.CniFailure;
import io.spiderpool.wire.CniSpec;
import io.spiderpool.wire.Concat;
import io.spiderpool.wire.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One CNI call in the plugin process, as a pure function of the environment, stdin and the daemon
 * transport (docs/architecture.md). VERSION is answered here because it needs nothing; every other
 * verb is forwarded unparsed to the warm daemon, which validates and formats, so this process loads
 * only a handful of JDK classes. When the daemon cannot be reached the answer is made here: code 11
 * ("try again later": the runtime retries and the daemon is usually just restarting), or for STATUS
 * code 50 ("plugin not available", which is exactly what STATUS asks). When the request cannot even
 * be written (the spool's file system is full or read-only) the answer is code 5, I/O failure.
 */
public final class CniDispatcher {
  private final Map<String, String> env;
  private final DaemonTransport transport;

  public CniDispatcher(Map<String, String> env, DaemonTransport transport) {
    this.env = Map.copyOf(env);
    this.transport = transport;
  }

  /** Runs the call; never throws. */
  public CniOutcome handle(byte[] stdin) {
    String command = env.getOrDefault("CNI_COMMAND", "");
    NetConfPeek conf = NetConfPeek.of(stdin);
    if (command.equals("VERSION")) {
      return CniOutcome.ok(CniSpec.versionJson(conf.answerVersion()));
    }
    if (command.isEmpty()) {
      return error(
          conf,
          CniSpec.INVALID_ENVIRONMENT,
          "required env variables [CNI_COMMAND] missing",
          "set CNI_COMMAND to one of ADD, DEL, CHECK, GC, STATUS, VERSION");
    }
    // skel's order: the environment, then the configuration; both answered here, because a
    // configuration that cannot be read does not say which daemon socket to ask
    CniFailure invalid = CniCallRules.checkEnvironment(env);
    if (invalid == null) {
      invalid = conf.decodeFailure();
    }
    if (invalid != null) {
      return error(conf, invalid.code(), invalid.msg(), invalid.details());
    }
    HttpResponse reply;
    try {
      reply = transport.post(conf.socket(), CniExchange.headers(env), stdin);
    } catch (RequestNotDelivered e) {
      return error(
          conf,
          command.equals("STATUS") ? CniSpec.NOT_AVAILABLE : CniSpec.IO_FAILURE,
          "cannot hand the request to the spiderpool node daemon",
          Concat.of(transport.where(conf.socket()), ": ", e.getMessage()));
    } catch (IOException e) {
      int code = command.equals("STATUS") ? CniSpec.NOT_AVAILABLE : CniSpec.TRY_AGAIN_LATER;
      return error(
          conf,
          code,
          "spiderpool node daemon is unreachable",
          Concat.of(
              transport.where(conf.socket()),
              ": ",
              describe(e),
              "; is the spiderpool daemon running on this node?"));
    }
    return fromReply(conf, reply);
  }

  private CniOutcome fromReply(NetConfPeek conf, HttpResponse reply) {
    int exit = CniExchange.exitStatus(reply);
    if (exit >= 0) {
      return new CniOutcome(exit, reply.body(), null);
    }
    String body = new String(reply.body(), StandardCharsets.UTF_8);
    if (reply.status() == 503) {
      return error(
          conf,
          CniSpec.TRY_AGAIN_LATER,
          "spiderpool node daemon is busy",
          Concat.of(transport.where(conf.socket()), " answered 503: ", body));
    }
    return error(
        conf,
        CniSpec.INTERNAL,
        "spiderpool node daemon gave no CNI answer",
        Concat.of(
            transport.where(conf.socket()),
            " answered HTTP ",
            reply.status(),
            " to POST ",
            CniExchange.PATH,
            ": ",
            body,
            " (plugin and daemon versions differ?)"));
  }

  private CniOutcome error(NetConfPeek conf, int code, String msg, String details) {
    String json = CniSpec.errorJson(conf.answerVersion(), code, msg, details);
    String line =
        Concat.of(
            "CNI ",
            env.getOrDefault("CNI_COMMAND", "?"),
            " containerID=",
            env.getOrDefault("CNI_CONTAINERID", ""),
            " ifname=",
            env.getOrDefault("CNI_IFNAME", ""),
            " failed: ",
            json);
    return new CniOutcome(1, json.concat("\n").getBytes(StandardCharsets.UTF_8), line);
  }

  /** The message, preceded by the exception's name when that says more than "IOException". */
  private static String describe(IOException e) {
    String m = e.getMessage();
    if (e.getClass() == IOException.class && m != null) {
      return m;
    }
    return m == null
        ? e.getClass().getSimpleName()
        : Concat.of(e.getClass().getSimpleName(), " (", m, ")");
  }
}
