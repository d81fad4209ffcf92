package io.tokenbroker.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How problem documents are written. */
@ConfigMapping(prefix = "broker.problem")
public interface ProblemConfig {

  /**
   * Prefix of every problem {@code type} URI; the stable code is appended. Default {@code
   * urn:token-broker:problem:}, so a type reads {@code urn:token-broker:problem:not_found}.
   */
  @WithDefault("urn:token-broker:problem:")
  String typeBase();
}
