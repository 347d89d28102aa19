// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.daemon.socket.HttpHandler;
import io.spiderpool.service.ipam.AddRequest;
import io.spiderpool.service.ipam.EndpointView;
import io.spiderpool.service.ipam.IpamService;
import io.spiderpool.service.ipam.ReleaseRequest;
import io.spiderpool.wire.CniCallRules;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.CniFailure;
import io.spiderpool.wire.CniSpec;
import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The daemon's side of a CNI call ({@code POST /v1/cni}, see {@link CniExchange}): validates the
 * forwarded environment and configuration as libcni's skel would, runs the verb against the engine,
 * and answers the exact bytes the plugin prints plus its exit status. Every call is logged here,
 * once (docs/architecture.md); the plugin process logs only what it answers itself.
 *
 * <p>DEL follows Spiderpool: once the request is valid, an engine failure is logged and DEL still
 * succeeds, because a failed DEL blocks Pod deletion and the controller's GC reclaims what was
 * left. CHECK, which Spiderpool answers with success unconditionally, verifies that the Pod's
 * endpoint record still holds an address on this interface (the spec asks an IPAM plugin to report
 * missing reservations).
 */
public final class CniRequestHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(CniRequestHandler.class.getName());

  private final IpamService ipam;
  private final AttachmentGc gc;
  private final BooleanSupplier ready;

  /**
   * @param ipam the allocation engine
   * @param gc releases what the runtime no longer uses (CNI GC)
   * @param ready whether the engine can serve ADD now (CNI STATUS)
   */
  public CniRequestHandler(IpamService ipam, AttachmentGc gc, BooleanSupplier ready) {
    this.ipam = ipam;
    this.gc = gc;
    this.ready = ready;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    CniEnv env = CniEnv.from(request);
    String version = CniSpec.LATEST;
    try {
      env.validate();
      Map<String, Object> document = NetConfParser.decode(request.body());
      version = NetConfParser.version(document);
      CniFailure unspoken = CniCallRules.checkVersion(version, env.command());
      if (unspoken != null) {
        throw new CniError(unspoken);
      }
      NetConf conf = NetConfParser.parse(document);
      String out = run(env, conf);
      LOG.fine(() -> "CNI " + env.command() + " " + who(env) + " ok");
      return CniExchange.reply(0, out);
    } catch (RuntimeException e) {
      CniError err = CniError.of(e);
      LOG.log(
          err.code() == CniSpec.INTERNAL && !(e instanceof CniError) ? Level.WARNING : Level.INFO,
          "CNI "
              + env.command()
              + " "
              + who(env)
              + " failed: code "
              + err.code()
              + " "
              + err.getMessage()
              + (err.details().isEmpty() ? "" : " (" + err.details() + ")"),
          e instanceof CniError ? null : e);
      return CniExchange.reply(
          1,
          CniSpec.errorJson(
              CniSpec.answerVersion(version), err.code(), err.getMessage(), err.details()));
    }
  }

  private String run(CniEnv env, NetConf conf) {
    return switch (env.command()) {
      case "ADD" -> add(env, conf);
      case "DEL" -> del(env);
      case "CHECK" -> check(env);
      case "GC" -> collect(conf);
      default -> status();
    };
  }

  private String add(CniEnv env, NetConf conf) {
    CniArgs args = CniArgs.parse(env.args());
    IpamConf i = conf.ipam();
    AddRequest req =
        new AddRequest(
            env.containerId(),
            env.ifName(),
            env.netns(),
            args.podNamespace(),
            args.podName(),
            args.podUid(),
            i.defaultIpv4Pools(),
            i.defaultIpv6Pools(),
            i.cleanGateway(),
            i.matchMasterSubnet());
    return CniResultFormatter.format(conf.cniVersion(), env.ifName(), ipam.allocate(req));
  }

  private String del(CniEnv env) {
    CniArgs args = CniArgs.parse(env.args());
    try {
      ipam.release(
          new ReleaseRequest(
              env.containerId(),
              env.ifName(),
              env.netns(),
              args.podNamespace(),
              args.podName(),
              args.podUid(),
              false));
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "CNI DEL "
              + who(env)
              + ": release failed, answering success and leaving"
              + " the addresses to the IP GC",
          e);
    }
    return "";
  }

  private String check(CniEnv env) {
    CniArgs args = CniArgs.parse(env.args());
    Optional<EndpointView> view = ipam.endpoint(args.podNamespace(), args.podName());
    String pod = args.podNamespace() + "/" + args.podName();
    if (view.isEmpty()) {
      throw new CniError(
          CniSpec.INTERNAL,
          "no IP allocation recorded for Pod " + pod,
          "its SpiderEndpoint is gone; delete and re-create the Pod sandbox");
    }
    EndpointView v = view.get();
    if (!args.podUid().isEmpty() && v.podUid() != null && !v.podUid().equals(args.podUid())) {
      throw new CniError(
          CniSpec.INTERNAL,
          "IP allocation of Pod " + pod + " belongs to another instance",
          "recorded UID " + v.podUid() + ", this sandbox's Pod UID " + args.podUid());
    }
    boolean held =
        v.interfaces().stream()
            .anyMatch(
                n -> env.ifName().equals(n.name()) && (present(n.ipv4()) || present(n.ipv6())));
    if (!held) {
      throw new CniError(
          CniSpec.INTERNAL,
          "no Interface " + env.ifName() + " IP allocation found",
          "the SpiderEndpoint of Pod " + pod + " records no address on " + env.ifName());
    }
    return "";
  }

  private String collect(NetConf conf) {
    if (conf.validAttachments() == null) {
      throw new CniError(
          CniSpec.INVALID_CONFIG,
          "invalid network config",
          "GC needs cni.dev/valid-attachments; without it every allocation would look like garbage");
    }
    if (conf.name().isEmpty()) {
      throw new CniError(
          CniSpec.INVALID_CONFIG, "invalid network config", "GC needs the network's name");
    }
    gc.collect(conf.name(), conf.validAttachments());
    return "";
  }

  private String status() {
    if (!ready.getAsBoolean()) {
      throw new CniError(
          CniSpec.NOT_AVAILABLE,
          "spiderpool daemon is not ready",
          "the node daemon has not finished starting; ADD cannot be served yet");
    }
    return "";
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }

  private static String who(CniEnv env) {
    return "containerID=" + env.containerId() + " ifname=" + env.ifName();
  }
}
