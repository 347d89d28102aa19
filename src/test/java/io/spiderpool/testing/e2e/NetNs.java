// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A named network namespace ({@code ip netns}) standing in for a Pod sandbox. What the plugins
 * configured inside is read back as data from {@code ip -j}, so tests compare the kernel's view
 * with the CNI result instead of trusting the result alone.
 *
 * <p>Names must be unique on the machine; {@link #close()} deletes the namespace by its exact name,
 * which also destroys the links inside it.
 */
public final class NetNs implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;

  private NetNs(String name) {
    this.name = name;
  }

  /** An address configured on an interface: {@code 10.6.0.2/24} is ("inet", 10.6.0.2, 24). */
  public record Address(String family, String ip, int prefixLength) {
    /** {@code ip/prefix}, the CNI result's notation. */
    public String cidr() {
      return ip + "/" + prefixLength;
    }
  }

  /**
   * A route as {@code ip -j route} reports it; {@code default} is spelled out as 0.0.0.0/0 or ::/0.
   */
  public record RouteEntry(String dst, String gateway, String dev) {}

  /** Creates {@code name}, replacing a leftover of a crashed earlier run with the same name. */
  public static NetNs create(String name) {
    if (Files.exists(Path.of("/var/run/netns", name))) {
      Command.run("ip", "netns", "del", name);
    }
    Command.run("ip", "netns", "add", name).orThrow();
    NetNs ns = new NetNs(name);
    ns.exec("ip", "link", "set", "lo", "up").orThrow();
    return ns;
  }

  /** The namespace name. */
  public String name() {
    return name;
  }

  /** The path a runtime passes as {@code CNI_NETNS}. */
  public String path() {
    return "/var/run/netns/" + name;
  }

  /** Runs a command inside the namespace. */
  public Command.Outcome exec(String... argv) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(List.of(argv));
    return Command.run(all.toArray(String[]::new));
  }

  /** Names of the links inside, loopback included. */
  public List<String> links() {
    List<String> names = new ArrayList<>();
    for (JsonNode l : json("ip", "-j", "link", "show")) {
      names.add(l.path("ifname").asText());
    }
    return names;
  }

  /** Global-scope addresses of {@code ifName} (link-local IPv6 addresses are left out). */
  public List<Address> addresses(String ifName) {
    List<Address> out = new ArrayList<>();
    for (JsonNode link : json("ip", "-j", "addr", "show", "dev", ifName)) {
      for (JsonNode a : link.path("addr_info")) {
        if ("global".equals(a.path("scope").asText())) {
          out.add(
              new Address(
                  a.path("family").asText(),
                  a.path("local").asText(),
                  a.path("prefixlen").asInt()));
        }
      }
    }
    return out;
  }

  /**
   * Routes of one family in the main table, without the kernel's own prefix routes ({@code proto
   * kernel}) and IPv6 multicast/link-local entries: what is left is what a plugin installed from
   * the CNI result.
   */
  public List<RouteEntry> routes(int family) {
    List<RouteEntry> out = new ArrayList<>();
    for (JsonNode r : json("ip", "-j", "-" + family, "route", "show", "table", "main")) {
      if ("kernel".equals(r.path("protocol").asText())) {
        continue;
      }
      String dst = r.path("dst").asText();
      if (dst.equals("default")) {
        dst = family == 4 ? "0.0.0.0/0" : "::/0";
      } else if (!dst.contains("/")) {
        dst = dst + (family == 4 ? "/32" : "/128");
      }
      if (dst.startsWith("fe80:") || dst.startsWith("ff00:")) {
        continue;
      }
      out.add(
          new RouteEntry(
              dst,
              r.hasNonNull("gateway") ? r.path("gateway").asText() : null,
              r.path("dev").asText()));
    }
    return out;
  }

  private JsonNode json(String... argv) {
    Command.Outcome o = exec(argv).orThrow();
    try {
      return JSON.readTree(o.stdout().isBlank() ? "[]" : o.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "unparsable output of " + String.join(" ", argv) + ": " + o.stdout(), e);
    }
  }

  /** Names of namespaces on the machine that start with {@code prefix}, for leak checks. */
  public static List<String> existing(String prefix) {
    Path dir = Path.of("/var/run/netns");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the namespace by its exact name; a second close is harmless. */
  @Override
  public void close() {
    if (Files.exists(Path.of("/var/run/netns", name))) {
      Command.run("ip", "netns", "del", name).orThrow();
    }
  }

  @Override
  public String toString() {
    return "netns " + name;
  }
}
