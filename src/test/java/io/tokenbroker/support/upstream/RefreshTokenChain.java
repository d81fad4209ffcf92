package io.tokenbroker.support.upstream;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every refresh token the stand-in issued for one account, oldest first, with how each was used: a
 * snapshot, so tests can check that the broker rotated correctly and never replayed a token.
 *
 * @param accountId the Pinterest account id
 * @param links the refresh tokens in issue order
 */
public record RefreshTokenChain(String accountId, List<Link> links) {

  public RefreshTokenChain {
    links = List.copyOf(links);
  }

  /**
   * One issued refresh token.
   *
   * @param refreshToken the token value ({@link #toString()} shows only its prefix)
   * @param issuedAt when it was issued (stand-in clock)
   * @param expiresAt when it stops working (stand-in clock)
   * @param presentations how often a client sent it to the token endpoint, accepted or not
   * @param accepted whether one presentation was honoured (at most one ever is)
   * @param revoked whether it was revoked or its grant killed
   */
  public record Link(
      String refreshToken,
      Instant issuedAt,
      Instant expiresAt,
      int presentations,
      boolean accepted,
      boolean revoked) {

    @Override
    public String toString() {
      return "Link["
          + refreshToken.substring(0, Math.min(12, refreshToken.length()))
          + "…, presentations="
          + presentations
          + ", accepted="
          + accepted
          + ", revoked="
          + revoked
          + "]";
    }
  }

  /** The token values, in issue order. */
  public List<String> issued() {
    return links.stream().map(Link::refreshToken).toList();
  }

  /** The token values that were exchanged successfully, in issue order. */
  public List<String> used() {
    return links.stream().filter(Link::accepted).map(Link::refreshToken).toList();
  }

  /** Whether no refresh token was ever sent twice (the broker's side of strict single use). */
  public boolean eachPresentedAtMostOnce() {
    return links.stream().allMatch(link -> link.presentations() <= 1);
  }

  /** Presentations the stand-in refused (replays, expired, revoked or dead-grant tokens). */
  public int refusedPresentations() {
    return links.stream().mapToInt(link -> link.presentations() - (link.accepted() ? 1 : 0)).sum();
  }

  /** The newest refresh token, the only one a correct client still holds. */
  public Optional<String> latest() {
    return links.isEmpty()
        ? Optional.empty()
        : Optional.of(links.get(links.size() - 1).refreshToken());
  }
}
