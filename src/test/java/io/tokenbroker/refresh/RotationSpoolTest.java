package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.grant.RefreshTokenGrant;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.support.LogCapture;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The spool of rotations the database refused ({@link RotationSpool}): what is on disk, and what a
 * start does with it. A start is played by loading the spool into memory as the StartupEvent
 * observer does, with the file written but the tokens not held in memory, as after a restart.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RotationSpoolTest {

  @Inject RotationSpool spool;
  @Inject UnsavedRotations unsaved;
  @Inject TokenRotation rotation;
  @Inject RefreshTokenGrant grants;
  @Inject ProviderCatalog providers;
  @Inject RefreshFixture fixture;

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    fixture.parkEveryConnection();
  }

  @Test
  void keptRotationIsOneSealedFileNamedByItsConnectionAndDeletedOnceStored() throws Exception {
    IssuedTokens grant = pinterest.issueGrant("spooled-at-once", "boards:read");
    UUID id = fixture.link(grant);
    UnsavedRotations.Unsaved rotated = rotateUpstream(id, grant);

    assertThat(unsaved.keep(rotated)).isTrue();

    Path file = spool.directory().resolve(id + ".rotation");
    assertThat(file).exists();
    try (var names = Files.list(spool.directory())) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .as("one file per connection, named by its id only")
          .contains(id + ".rotation")
          .allMatch(name -> name.matches("[0-9a-f-]{36}\\.rotation"));
    }
    String content = Files.readString(file);
    assertThat(content)
        .doesNotContain(rotated.tokens().accessToken())
        .doesNotContain(rotated.tokens().refreshToken().orElseThrow())
        .doesNotContain(grant.refreshToken())
        .startsWith("tb1:");

    assertThat(rotation.storeUnsaved()).isEqualTo(1);
    assertThat(file).doesNotExist();
    assertThat(fixture.storedRefreshToken(id))
        .isEqualTo(rotated.tokens().refreshToken().orElseThrow());
  }

  @Test
  void spooledRotationLoadedAtStartIsStoredWithoutPresentingTheSpentToken() throws Exception {
    IssuedTokens grant = pinterest.issueGrant("spooled-before-restart", "boards:read");
    UUID id = fixture.link(grant);
    UnsavedRotations.Unsaved rotated = rotateUpstream(id, grant);
    // The previous process wrote the file and ended; this one holds nothing in memory yet.
    assertThat(spool.write(rotated)).isTrue();
    assertThat(unsaved.find(id)).isEmpty();

    unsaved.onStart(null);
    assertThat(unsaved.find(id)).isPresent();
    // The retry may store it first; either way the spent token is never presented.
    RefreshResult result =
        rotation.refresh(id, RefreshTrigger.FORCED, row -> true, LeaseOwner.ofThisProcess());

    assertThat(result.outcome()).isEqualTo(RefreshResult.Outcome.REFRESHED);
    RefreshTokenChain chain = pinterest.refreshChain(grant.account().id());
    assertThat(chain.refusedPresentations()).as("spent refresh token presented").isZero();
    assertThat(chain.eachPresentedAtMostOnce()).isTrue();
    assertThat(fixture.storedRefreshToken(id)).isEqualTo(chain.latest().orElseThrow());
    assertThat(fixture.row(id).status()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(unsaved.find(id)).isEmpty();
    assertThat(spool.directory().resolve(id + ".rotation")).doesNotExist();
  }

  @Test
  void fileThatDoesNotOpenIsReportedAndKeptWhileTheOthersLoad() throws Exception {
    IssuedTokens grant = pinterest.issueGrant("spooled-next-to-a-bad-file", "boards:read");
    UUID id = fixture.link(grant);
    UnsavedRotations.Unsaved rotated = rotateUpstream(id, grant);
    assertThat(spool.write(rotated)).isTrue();
    // Sealed for another connection: as unreadable here as one whose data key is gone.
    UUID other = UUID.randomUUID();
    Path moved = spool.directory().resolve(other + ".rotation");
    Files.copy(spool.directory().resolve(id + ".rotation"), moved);

    try (LogCapture logs = LogCapture.onRootLogger()) {
      assertThat(spool.load()).extracting(u -> u.lease().id()).containsExactly(id);
      // Each retry tries it again (a key may become readable later) without reporting it again.
      assertThat(spool.retryUnopened()).isEmpty();
      assertThat(logs.lines())
          .filteredOn(line -> line.text().contains(other.toString()))
          .singleElement()
          .satisfies(
              line -> assertThat(line.text()).startsWith("ERROR").contains("cannot be opened"));
    }
    assertThat(moved).exists();

    Files.delete(moved);
    unsaved.onStart(null);
    rotation.storeUnsaved();
    assertThat(fixture.storedRefreshToken(id))
        .isEqualTo(rotated.tokens().refreshToken().orElseThrow());
    assertThat(spool.directory().resolve(id + ".rotation")).doesNotExist();
  }

  /** Spends the grant's refresh token at the stand-in, as a refresh would before its write. */
  private UnsavedRotations.Unsaved rotateUpstream(UUID id, IssuedTokens grant) {
    HeldLease lease =
        HeldLease.of(
            fixture.row(id),
            LeaseOwner.ofThisProcess(),
            LeaseClock.starting(Duration.ofSeconds(90)));
    TokenResponse tokens = grants.refresh(providers.require("pinterest"), grant.refreshToken());
    return new UnsavedRotations.Unsaved(lease, tokens, RefreshTrigger.SCHEDULED, Instant.now());
  }
}
