package io.tokenbroker.refresh;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Offers kept rotations ({@link UnsavedRotations}) to the database again: every {@code
 * broker.refresh.unsaved-retry-interval}, and once more when the process stops. (The next refresh
 * of such a connection stores them too, instead of presenting the spent refresh token.)
 */
@ApplicationScoped
class UnsavedRotationRetry {

  private static final Logger LOG = Logger.getLogger(UnsavedRotationRetry.class);

  private final UnsavedRotations unsaved;
  private final RotationWrite write;
  private final ProviderCatalog providers;

  UnsavedRotationRetry(UnsavedRotations unsaved, RotationWrite write, ProviderCatalog providers) {
    this.unsaved = unsaved;
    this.write = write;
    this.providers = providers;
  }

  @Scheduled(
      every = "${broker.refresh.unsaved-retry-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    storeUnsaved();
  }

  /**
   * Stores tokens the database did not take when they were obtained, once it answers again. Each
   * gets one attempt per run.
   *
   * @return how many were stored (or found superseded) in this run
   */
  int storeUnsaved() {
    // Spool files that did not open at start (a key not yet readable) are tried again each run.
    unsaved.adoptNowReadable();
    int settled = 0;
    for (UnsavedRotations.Unsaved held : unsaved.all()) {
      HeldLease lease = held.lease();
      FencedRotationUpdate.Written written;
      try {
        written = write.once(lease, held.tokens(), held.trigger(), false);
      } catch (RuntimeException e) {
        LOG.debugf(
            "connection %s: unsaved tokens still not stored (%s)",
            lease.id(), e.getClass().getSimpleName());
        continue;
      }
      unsaved.forget(lease.id(), held.spent());
      settled++;
      LOG.warnf(
          "connection %s: tokens obtained at %s stored after the database came back",
          lease.id(), held.obtainedAt());
      try {
        write.settle(lease, written, held.tokens(), providers.require(lease.provider()));
      } catch (RuntimeException e) {
        // The tokens are stored; only the revocation of a deleted connection's tokens failed.
        LOG.warnf(
            "connection %s: bookkeeping after storing unsaved tokens failed (%s)",
            lease.id(), e.getClass().getSimpleName());
      }
    }
    return settled;
  }

  /**
   * Last chance before the process ends: what the database still does not take waits in the spool
   * for the next start; only what the spool could not take either is lost.
   */
  void onStop(@Observes ShutdownEvent event) {
    storeUnsaved();
    for (UnsavedRotations.Unsaved left : unsaved.all()) {
      if (unsaved.spooled(left.lease().id())) {
        LOG.errorf(
            "CRITICAL: connection %s: rotated tokens not stored before shutdown; they stay in the"
                + " spool and are offered to the database again at the next start",
            left.lease().id());
      } else {
        LOG.errorf(
            "CRITICAL: connection %s: rotated tokens were never stored; the account must be linked"
                + " again",
            left.lease().id());
      }
    }
  }
}
