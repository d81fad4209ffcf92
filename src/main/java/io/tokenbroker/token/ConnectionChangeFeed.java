package io.tokenbroker.token;

import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.connection.ConnectionRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps the {@link TokenCache} in step with the database without putting the database on the hot
 * path: once per {@code broker.token.change-poll-interval} it reads the id and version of every
 * connection whose {@code updated_at} moved since the last poll (minus an overlap for clock skew
 * and commit lag), and drops cached copies whose version differs. A caller removed or a connection
 * deleted on another replica thus stops being served here within about a second, while cached
 * entries otherwise live for {@code cache-ttl} and the hot path makes no database round trip.
 *
 * <p>When the database cannot be read, cached entries keep being served until they expire: the
 * database being down must not stop callers that hold a valid token, and nobody can change a
 * connection meanwhile.
 */
@ApplicationScoped
public class ConnectionChangeFeed {

  private static final Logger LOG = Logger.getLogger(ConnectionChangeFeed.class);

  private final TokenCache cache;
  private final ConnectionRows versions;
  private final TokenConfig config;
  private volatile Instant polledUpTo = Instant.now();
  private volatile boolean failing;

  ConnectionChangeFeed(TokenCache cache, ConnectionRows versions, TokenConfig config) {
    this.cache = cache;
    this.versions = versions;
    this.config = config;
  }

  @Scheduled(
      every = "${broker.token.change-poll-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      poll();
      if (failing) {
        LOG.info("connection change feed reads the database again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warnf(
            "connection change feed cannot read the database (%s); cached connections are served"
                + " for up to broker.token.cache-ttl",
            e.getClass().getSimpleName());
        failing = true;
      }
    }
  }

  /** One poll; returns how many cached entries it dropped. */
  public int poll() {
    Instant startedAt = Instant.now();
    Instant since = polledUpTo.minus(config.changeOverlap());
    int dropped = 0;
    for (Map.Entry<UUID, Long> row : versions.changedSince(since).entrySet()) {
      if (cache.invalidateUnless(row.getKey(), row.getValue())) {
        dropped++;
      }
    }
    polledUpTo = startedAt;
    return dropped;
  }
}
