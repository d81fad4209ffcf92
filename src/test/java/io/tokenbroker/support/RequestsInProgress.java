package io.tokenbroker.support;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the HTTP requests the broker is working on, for tests that must know every caller is
 * inside before they let an upstream answer go. (Micrometer's {@code http.server.active.requests}
 * gauge was the first choice, but after a Quarkus restart in the same test run it can be a stale
 * gauge of the previous application that always reads 0.)
 */
@ApplicationScoped
public class RequestsInProgress {

  private final AtomicInteger inProgress = new AtomicInteger();

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE + 1)
        .handler(
            context -> {
              inProgress.incrementAndGet();
              context.addEndHandler(ended -> inProgress.decrementAndGet());
              context.next();
            });
  }

  public int now() {
    return inProgress.get();
  }
}
