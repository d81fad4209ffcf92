package io.tokenbroker.refresh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Refreshing and rotating stored grants: {@code broker.refresh.*}. */
@ConfigMapping(prefix = "broker.refresh")
public interface RefreshConfig {

  /**
   * How long a replica holds a connection's refresh lease, counted in the database's time ({@code
   * now()}), so replicas whose clocks disagree still agree on it. Must exceed the worst case of one
   * attempt ({@link AttemptBound}: three token calls at the slowest provider's connect plus read
   * timeout, two Vault calls when Vault is configured, and the write; 38 s at the default timeouts
   * without Vault, 58 s with it), or the broker refuses to start. A lease the scheduler claimed is
   * started only while that much of it is left, so the margin above the worst case is how long a
   * claimed connection may wait for a free worker. Default 90 seconds.
   */
  @WithDefault("PT90S")
  Duration leaseTtl();

  /** First retry delay after a transient refresh failure; doubles per failure. Default 30 s. */
  @WithDefault("PT30S")
  Duration backoffBase();

  /** Longest retry delay after transient failures. Default 30 minutes. */
  @WithDefault("PT30M")
  Duration backoffMax();

  /** Upper bound of refresh attempts per connection per hour. Default 12. */
  @WithDefault("12")
  int maxAttemptsPerHour();

  /**
   * How long an on-demand request waits for another replica's refresh of the same connection before
   * it answers with what it has. Default 15 seconds.
   */
  @WithDefault("PT15S")
  Duration leaseWait();

  /**
   * How often the scheduled refresher looks for due connections. A run goes on until nothing is due
   * (or {@link #batchSize()} is reached), so this is how soon a newly due connection is noticed,
   * not a limit on throughput. Default 60 seconds.
   */
  @WithDefault("60s")
  String interval();

  /** Delay before the first scheduled run after startup. Default 15 seconds. */
  @WithDefault("15s")
  String initialDelay();

  /**
   * Most connections one scheduled run refreshes per provider; the rest wait for the next run. A
   * bound on one run, not a rate: the run claims due connections a handful at a time (as many as
   * there are workers) and stops early when none is left. Default 10000.
   */
  @WithDefault("10000")
  int batchSize();

  /**
   * Concurrent upstream refreshes per provider during a scheduled run (its workers). Throughput is
   * about this many divided by the provider's token-endpoint latency: 8 at 300 ms is some 25
   * refreshes per second, 100,000 connections in about an hour. Each worker holds at most one
   * database connection at a time, so {@code quarkus.datasource.jdbc.max-size} must exceed this
   * times the number of providers plus what requests need; the broker warns at startup when it does
   * not leave at least {@value RefreshPoolCheck#REQUEST_HEADROOM}. Above 50 the upstream HTTP
   * client's own pool (50 connections per endpoint) becomes the bound. Default 8.
   */
  @WithDefault("8")
  int concurrencyPerProvider();

  /**
   * Refresh at least this often even when nothing else is due, so that a rotating 60-day refresh
   * token never comes near its end. Counted from the last refresh: a provider that keeps its
   * refresh token is not asked again at every run. Default 7 days.
   */
  @WithDefault("P7D")
  Duration maxRefreshTokenAge();

  /**
   * Spread: a connection becomes due up to this much earlier than its margins say, drawn at random
   * per run, so that connections linked together do not all refresh together. Default 10 minutes.
   */
  @WithDefault("PT10M")
  Duration jitter();

  /**
   * How often tokens the provider issued but the database did not take (it was down through every
   * write attempt) are offered to the database again. Runs whether or not the scheduled refresher
   * does: these tokens exist nowhere else. Default 5 seconds.
   */
  @WithDefault("5s")
  String unsavedRetryInterval();

  /**
   * Where those tokens are also kept on disk, sealed with the data keys, one file per connection,
   * until the database takes them: a process that stops (or is killed) before then offers them
   * again at its next start. Created owner-only at startup; a directory that cannot be written
   * fails the start. To survive the replacement of a pod it must be a volume that outlives the pod
   * (the chart's {@code refresh.unsavedRotations.persistence}). Default {@code
   * ./data/unsaved-rotations}, next to the embedded default's database and keys.
   */
  @WithDefault("./data/unsaved-rotations")
  java.nio.file.Path unsavedRotationsDir();

  /** Whether this replica runs the scheduled refresher at all. Default {@code true}. */
  @WithDefault("true")
  boolean schedulerEnabled();

  /**
   * Lease owner name of this replica; default the host name plus a random suffix. When set, it must
   * differ between live replicas: a replica refuses to start while another one whose heartbeat is
   * recent holds the same id ({@link LeaseOwnerRegistry}).
   */
  Optional<String> ownerId();

  /**
   * How often a replica confirms its lease owner id in the database; an id whose last heartbeat is
   * three intervals old counts as free (a replica that crashed). Default 10 seconds.
   */
  @WithDefault("PT10S")
  Duration ownerHeartbeat();

  /** The per-provider circuit breaker of the refresher ({@link ProviderBreakers}). */
  Breaker breaker();

  /** {@code broker.refresh.breaker.*}. */
  interface Breaker {

    /**
     * Consecutive refresh failures that are not about one grant (outages, timeouts, edge pages,
     * refused client authentication) after which the scheduler pauses the provider. Keep it at
     * least {@code concurrency-per-provider}: attempts that started before the first failure are
     * not held back, so the bound on calls before the pause is the larger of the two. Default 10.
     */
    @WithDefault("10")
    int failureThreshold();

    /**
     * While paused, one scheduled refresh of the provider is let through this often as a probe; an
     * answer that is not a provider-wide failure resumes the refresher. Default 1 minute.
     */
    @WithDefault("PT1M")
    Duration probeInterval();

    /** The window in which a burst of {@code invalid_grant} is counted. Default 5 minutes. */
    @WithDefault("PT5M")
    Duration invalidGrantWindow();

    /**
     * A burst needs at least this many distinct connections called dead within the window. A
     * handful of people revoking access in five minutes is normal; ten at once, together with the
     * share below, looks like a provider incident. Default 10.
     */
    @WithDefault("10")
    int invalidGrantMinConnections();

    /**
     * ... and at least this share (0..1) of the provider's token-endpoint answers in the window.
     * Default 0.2 (20 %).
     */
    @WithDefault("0.2")
    double invalidGrantMinShare();
  }
}
