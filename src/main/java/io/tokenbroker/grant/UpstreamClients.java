package io.tokenbroker.grant;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One REST client per upstream URL, with that provider's connect and read timeouts. */
@ApplicationScoped
public class UpstreamClients {

  private final Map<URI, UpstreamApi> clients = new ConcurrentHashMap<>();

  /**
   * Runs one call and returns the upstream's answer whatever its status: some client versions raise
   * error statuses as exceptions even with the default mapper disabled.
   */
  public static Response answer(Supplier<Response> call) {
    try {
      return call.get();
    } catch (WebApplicationException e) {
      return e.getResponse();
    }
  }

  public UpstreamApi forEndpoint(Provider provider, URI endpoint) {
    return clients.computeIfAbsent(
        endpoint,
        uri ->
            QuarkusRestClientBuilder.newBuilder()
                .baseUri(uri)
                .connectTimeout(provider.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(provider.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // Error statuses are data to classify, not exceptions to catch.
                .property("microprofile.rest.client.disableDefaultMapper", true)
                .build(UpstreamApi.class));
  }
}
