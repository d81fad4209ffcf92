package io.tokenbroker.token;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Hands the part of a request that may block (database, provider) from the Vert.x event loop to a
 * worker thread, and its answer back. Doors served on the event loop use it for what memory cannot
 * answer, so that a cache miss or a refresh never stalls the loop that serves every other caller.
 *
 * <p>The worker runs in the request's own Vert.x context, so the MDC (and with it the request id of
 * log lines and audit rows) is the request's, and with the request's CDI request context active, as
 * a blocking endpoint would have it. Unordered: requests of one connection do not queue behind each
 * other here (the refresh has its own single flight).
 */
@ApplicationScoped
class OffEventLoop {

  <T> Uni<T> call(Supplier<T> work) {
    Context context = Vertx.currentContext();
    if (context == null || !Context.isOnEventLoopThread()) {
      // Already on a thread that may block (a worker, a test): no hop needed.
      return Uni.createFrom().item(work);
    }
    ManagedContext requests = Arc.container().requestContext();
    InjectableContext.ContextState state = requests.isActive() ? requests.getState() : null;
    return Uni.createFrom()
        .completionStage(
            () ->
                context
                    .executeBlocking(() -> runWithin(requests, state, work), false)
                    .toCompletionStage());
  }

  private static <T> T runWithin(
      ManagedContext requests, InjectableContext.ContextState state, Supplier<T> work) {
    if (state == null || requests.isActive()) {
      return work.get();
    }
    requests.activate(state);
    try {
      return work.get();
    } finally {
      requests.deactivate();
    }
  }
}
