package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many rotations of many strictly single-use refresh-token chains, driven at once by three replicas
 * (three lease owners in their own threads), the scheduled refresher of this process, and callers
 * whose {@code min_ttl_seconds} forces a refresh on every request. Not one refresh token may be
 * presented twice, and every connection must end holding the newest token of its chain.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RefreshChurnTest {

  private static final Logger LOG = Logger.getLogger(RefreshChurnTest.class);
  private static final int CONNECTIONS = 20;
  private static final int ROUNDS = 10;
  private static final int REPLICAS = 3;
  private static final int CALLERS = 4;
  // Access tokens live 10 minutes and callers want 15: every caller request has to refresh.
  private static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(10);
  private static final long CALLER_MIN_TTL_SECONDS = 900;
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @Inject TokenRotation rotation;
  @Inject RefreshScheduler scheduler;
  @Inject RefreshFixture fixture;

  @TestHTTPResource("/")
  URI broker;

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fixture.parkEveryConnection();
    pinterest.accessTokenLifetime(ACCESS_TOKEN_LIFETIME);
  }

  @Test
  void replicasSchedulerAndCallersRotateEveryChainWithoutPresentingARefreshTokenTwice()
      throws Exception {
    List<UUID> ids = new ArrayList<>();
    Map<UUID, String> accounts = new ConcurrentHashMap<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      var grant = pinterest.issueGrant("churn-" + i, "boards:read", "pins:read");
      UUID id = fixture.link(grant);
      ids.add(id);
      accounts.put(id, grant.account().id());
    }
    Instant deadline = Instant.now().plus(DEADLINE);
    AtomicReference<Instant> roundStart = new AtomicReference<>();
    CyclicBarrier nextRound = new CyclicBarrier(REPLICAS, () -> roundStart.set(Instant.now()));
    AtomicBoolean replicasDone = new AtomicBoolean();
    Map<RefreshResult.Outcome, AtomicInteger> replicaOutcomes = new ConcurrentHashMap<>();
    Map<RefreshResult.Outcome, AtomicInteger> schedulerOutcomes = new ConcurrentHashMap<>();
    AtomicInteger schedulerRuns = new AtomicInteger();
    AtomicInteger callerFetches = new AtomicInteger();
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    TokenFetches fetches = new TokenFetches(broker);

    ExecutorService threads = Executors.newFixedThreadPool(REPLICAS + 1 + CALLERS);
    List<Future<?>> replicas = new ArrayList<>();
    for (int r = 0; r < REPLICAS; r++) {
      LeaseOwner owner = new LeaseOwner("replica-" + r);
      Random order = new Random(r);
      replicas.add(
          threads.submit(
              () -> {
                for (int round = 0; round < ROUNDS; round++) {
                  nextRound.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                  Instant since = roundStart.get();
                  // Due in this round: its refresh token predates the round.
                  Predicate<ConnectionSnapshot> due =
                      c ->
                          c.refreshTokenIssuedAt() == null
                              || c.refreshTokenIssuedAt().isBefore(since);
                  List<UUID> pending = new ArrayList<>(ids);
                  Collections.shuffle(pending, order);
                  while (!pending.isEmpty()) {
                    List<UUID> busy = new ArrayList<>();
                    for (UUID id : pending) {
                      RefreshResult result =
                          rotation.refresh(id, RefreshTrigger.SCHEDULED, due, owner);
                      replicaOutcomes
                          .computeIfAbsent(result.outcome(), o -> new AtomicInteger())
                          .incrementAndGet();
                      if (result.outcome() == RefreshResult.Outcome.BUSY) {
                        busy.add(id);
                      } else if (result.outcome() != RefreshResult.Outcome.REFRESHED
                          && result.outcome() != RefreshResult.Outcome.ALREADY_FRESH) {
                        problems.add(owner.id() + " " + id + ": " + result.outcome());
                      }
                    }
                    // Another owner is mid-refresh: its write ends this round for that
                    // connection, so come back to it until it does.
                    pending = busy;
                    if (Instant.now().isAfter(deadline)) {
                      throw new IllegalStateException("round " + round + " did not finish");
                    }
                  }
                }
                return null;
              }));
    }
    Future<?> refresher =
        threads.submit(
            () -> {
              while (!replicasDone.get()) {
                scheduler
                    .runOnce()
                    .forEach(
                        (outcome, n) ->
                            schedulerOutcomes
                                .computeIfAbsent(outcome, o -> new AtomicInteger())
                                .addAndGet(n));
                schedulerRuns.incrementAndGet();
              }
              return null;
            });
    List<Future<?>> callers = new ArrayList<>();
    for (int c = 0; c < CALLERS; c++) {
      int offset = c * 5;
      callers.add(
          threads.submit(
              () -> {
                for (int n = 0; !replicasDone.get(); n++) {
                  UUID id = ids.get((offset + n) % ids.size());
                  TokenFetches.Answer answer = fetches.fetch(id, CALLER_MIN_TTL_SECONDS);
                  callerFetches.incrementAndGet();
                  if (answer.status() != 200) {
                    problems.add("caller got " + answer.status() + " " + answer.body());
                  } else if (!pinterest.isAccessTokenLive(answer.accessToken())) {
                    problems.add("caller got a token the provider does not know: " + id);
                  }
                }
                return null;
              }));
    }
    try {
      for (Future<?> replica : replicas) {
        replica.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      replicasDone.set(true);
      refresher.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      for (Future<?> caller : callers) {
        caller.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
      threads.shutdownNow();
    }

    int rotations = 0;
    for (UUID id : ids) {
      RefreshTokenChain chain = pinterest.refreshChain(accounts.get(id));
      rotations += chain.issued().size() - 1;
      assertThat(chain.eachPresentedAtMostOnce()).as("chain of %s: %s", id, chain).isTrue();
      assertThat(chain.refusedPresentations()).isZero();
      assertThat(chain.issued()).hasSizeGreaterThanOrEqualTo(ROUNDS + 1);
      // Every token but the newest was spent exactly once, and the broker holds the newest.
      assertThat(chain.used()).isEqualTo(chain.issued().subList(0, chain.issued().size() - 1));
      assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
      ConnectionSnapshot row = fixture.row(id);
      assertThat(row.status()).isEqualTo(ConnectionStatus.ACTIVE);
      assertThat(row.leaseOwner()).isNull();
      assertThat(fixture.failureCount(id)).isZero();
    }
    LOG.infof(
        "churn: %d connections, %d rounds, %d rotations upstream, %d refresh-grant calls,"
            + " %d invalid-grant refusals; replicas %s; scheduler %d runs %s; %d caller fetches",
        CONNECTIONS,
        ROUNDS,
        rotations,
        pinterest.tokenCalls("refresh_token"),
        pinterest.invalidGrantRefusals(),
        replicaOutcomes,
        schedulerRuns.get(),
        schedulerOutcomes,
        callerFetches.get());
    assertThat(problems).isEmpty();
    assertThat(pinterest.invalidGrantRefusals()).isZero();
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(rotations);
    assertThat(callerFetches.get()).isPositive();
    assertThat(schedulerRuns.get()).isPositive();
  }
}
