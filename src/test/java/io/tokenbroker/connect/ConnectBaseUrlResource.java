package io.tokenbroker.connect;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenbroker.support.upstream.BrokerTestPort;
import java.util.Map;

/**
 * Sets {@code broker.connect.public-base-url} to the broker under test, {@code
 * http://localhost:<port>}; the port is the one the upstream resources pin ({@link
 * BrokerTestPort}).
 */
public class ConnectBaseUrlResource implements QuarkusTestResourceLifecycleManager {

  public static String baseUrl() {
    return "http://localhost:" + BrokerTestPort.get();
  }

  @Override
  public Map<String, String> start() {
    return Map.of("broker.connect.public-base-url", baseUrl());
  }

  @Override
  public void stop() {}
}
