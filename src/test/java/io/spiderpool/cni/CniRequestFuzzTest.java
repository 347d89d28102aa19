// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.daemon.cni.CniRequestHandler;
import io.spiderpool.service.ipam.FakeIpamService;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.CniSpec;
import io.spiderpool.wire.HttpCodec;
import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz target: a whole CNI call (the {@code CNI_*} environment and stdin) through the plugin entry,
 * the wire codec and the daemon's handler over a fake engine (docs/reliability.md, "Fuzzing").
 * Property: the call never throws; it exits 0, or 1 with one spec error object on stdout whose code
 * is a spec code and whose message is not empty, without Java exception text.
 */
class CniRequestFuzzTest {
  private static final String[] COMMANDS = {"ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION"};
  private static final String[] VARIABLES = {
    "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH"
  };
  private static final Set<Long> CODES =
      Set.of(
          (long) CniSpec.INCOMPATIBLE_VERSION,
          (long) CniSpec.UNSUPPORTED_FIELD,
          (long) CniSpec.UNKNOWN_CONTAINER,
          (long) CniSpec.INVALID_ENVIRONMENT,
          (long) CniSpec.IO_FAILURE,
          (long) CniSpec.DECODING_FAILURE,
          (long) CniSpec.INVALID_CONFIG,
          (long) CniSpec.TRY_AGAIN_LATER,
          (long) CniSpec.NOT_AVAILABLE,
          (long) CniSpec.INTERNAL);

  @FuzzTest(maxDuration = "60s")
  void aCniCallEndsInAResultOrASpecError(FuzzedDataProvider data) {
    Map<String, String> env = new LinkedHashMap<>();
    if (data.consumeBoolean()) {
      env.put(
          "CNI_COMMAND", data.consumeBoolean() ? data.pickValue(COMMANDS) : data.consumeString(8));
    }
    for (String v : VARIABLES) {
      if (data.consumeBoolean()) {
        env.put(v, data.consumeString(40));
      }
    }
    byte[] stdin = data.consumeRemainingAsBytes();

    FakeIpamService engine = new FakeIpamService();
    CniRequestHandler daemon = new CniRequestHandler(engine, (n, v) -> {}, () -> true);
    DaemonTransport throughTheCodec =
        (socket, headers, body) -> {
          HttpRequest request =
              HttpCodec.readRequest(new ByteArrayInputStream(CniExchange.request(headers, body)));
          HttpResponse reply = daemon.handle(request);
          ByteArrayOutputStream wire = new ByteArrayOutputStream();
          HttpCodec.write(wire, reply, true);
          return HttpCodec.readResponse(new ByteArrayInputStream(wire.toByteArray()));
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = CniEntry.run(env, new ByteArrayInputStream(stdin), out, throughTheCodec);

    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).isIn(0, 1);
    assertThat(stdout).doesNotContain("Exception").doesNotContain("\tat ");
    if (exit == 1) {
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) JsonReader.parse(stdout);
      assertThat(CODES).as(stdout).contains((Long) error.get("code"));
      assertThat((String) error.get("msg")).as(stdout).isNotBlank();
      assertThat(engine.adds).as("a failed call allocated nothing").isEmpty();
    } else if (!stdout.isEmpty()) {
      assertThat(JsonReader.parse(stdout)).as(stdout).isInstanceOf(Map.class);
    }
  }
}
