package io.tokenbroker.support.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The HTTP port of the broker under test, chosen once per test JVM.
 *
 * <p>A redirect URI must be registered upstream, and handed to the broker's configuration, before
 * Quarkus starts; with {@code quarkus.http.test-port=0} the real port is only known afterwards, and
 * configuration mappings would already hold {@code 0}. So the upstream resources pick a free port
 * here and pin {@code quarkus.http.test-port} to it: the redirect URI then names the port the
 * broker really listens on, and matches upstream exactly, as at Pinterest.
 */
public final class BrokerTestPort {

  /** The broker's browser callback path. */
  public static final String CALLBACK_PATH = "/v1/oauth/callback";

  private static int port;

  private BrokerTestPort() {}

  /** A port that was free when first asked for; the same one for the rest of the JVM. */
  public static synchronized int get() {
    if (port == 0) {
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return port;
  }

  /** {@code http://localhost:<port>/v1/oauth/callback}. */
  public static String callbackUri() {
    return "http://localhost:" + get() + CALLBACK_PATH;
  }
}
