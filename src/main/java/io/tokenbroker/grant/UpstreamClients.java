package io.tokenbroker.grant;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One REST client per upstream URL, with that provider's connect and read timeouts. */
@ApplicationScoped
public class UpstreamClients {

  private final Map<URI, UpstreamApi> clients = new ConcurrentHashMap<>();

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
