package io.tokenbroker.proxy;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pooled, non-blocking Vert.x HTTP client per provider, made on first use. Kept apart from the
 * token-endpoint clients: API traffic must not queue behind (or starve) refreshes.
 */
@ApplicationScoped
class ProxyClients {

  private final Vertx vertx;
  private final ProxyConfig config;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

  ProxyClients(Vertx vertx, ProxyConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  HttpClient forProvider(String provider) {
    return clients.computeIfAbsent(provider, id -> create());
  }

  private HttpClient create() {
    HttpClientOptions options =
        new HttpClientOptions()
            .setConnectTimeout((int) config.connectTimeout().toMillis())
            .setKeepAlive(true)
            // Bodies pass through as the provider sent them, compressed or not.
            .setDecompressionSupported(false)
            // Pooled connections the provider may already have dropped are closed first.
            .setKeepAliveTimeout(30);
    return vertx.createHttpClient(
        options,
        new PoolOptions().setHttp1MaxSize(config.maxConnections()).setMaxWaitQueueSize(-1));
  }

  void close(@Observes ShutdownEvent event) {
    clients.values().forEach(HttpClient::close);
    clients.clear();
  }
}
