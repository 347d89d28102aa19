// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.config.ClusterConfigReader;
import io.spiderpool.core.error.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads {@code conf.yml} of ConfigMap {@code spiderpool-conf} (mounted into the DaemonSet) into a
 * {@link ClusterConfig}. YAML is parsed into plain maps and lists with SnakeYAML's safe constructor
 * (no arbitrary types), then typed by the core reader. Unknown and deprecated keys are logged as
 * warnings, not fatal: a newer chart must not stop an older daemon.
 */
public final class ConfFile {
  private static final Logger LOG = Logger.getLogger(ConfFile.class.getName());

  private ConfFile() {}

  /** Reads {@code path}; null gives the chart defaults. */
  public static ClusterConfig load(Path path) {
    if (path == null) {
      LOG.info("no --config given: using the chart defaults of conf.yml");
      return ClusterConfig.DEFAULTS;
    }
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read conf.yml at "
              + path
              + ": "
              + e
              + "; mount ConfigMap spiderpool-conf there or fix --config",
          e);
    }
    ClusterConfig config = parse(text, path.toString());
    if (!config.unknownKeys().isEmpty()) {
      LOG.warning(path + ": ignoring keys this version does not know: " + config.unknownKeys());
    }
    if (!config.deprecatedKeys().isEmpty()) {
      LOG.warning(path + ": deprecated keys (remove them): " + config.deprecatedKeys());
    }
    return config;
  }

  /** Parses YAML text; {@code where} names the source in errors. */
  static ClusterConfig parse(String text, String where) {
    Object tree;
    try {
      tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new InvalidInputException(where + " is not valid YAML: " + e.getMessage(), e);
    }
    try {
      return ClusterConfigReader.read(tree);
    } catch (InvalidInputException e) {
      throw e.in(where);
    }
  }
}
