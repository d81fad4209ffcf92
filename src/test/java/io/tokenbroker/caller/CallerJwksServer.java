package io.tokenbroker.caller;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokenbroker.support.CallerTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An issuer's JWKS endpoint on a free local port, serving the test RS256 and ES256 public keys; the
 * broker is pointed at it with {@code mp.jwt.verify.publickey.location}, as at a real IdP.
 */
public class CallerJwksServer implements QuarkusTestResourceLifecycleManager {

  static final AtomicInteger REQUESTS = new AtomicInteger();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] jwks = CallerTokens.jwks().getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/jwks",
        exchange -> {
          REQUESTS.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, jwks.length);
          try (OutputStream body = exchange.getResponseBody()) {
            body.write(jwks);
          }
        });
    server.start();
    return Map.of(
        "mp.jwt.verify.publickey.location",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks",
        "mp.jwt.verify.issuer",
        CallerTokens.ISSUER,
        "mp.jwt.verify.audiences",
        CallerTokens.AUDIENCE);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
