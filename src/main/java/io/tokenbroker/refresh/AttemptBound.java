package io.tokenbroker.refresh;

import io.tokenbroker.crypto.CryptoConfig;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The longest one refresh attempt can run while it holds a connection's lease, and the settings
 * that add up to it. A lease that runs out mid-attempt lets another replica present the refresh
 * token this one is spending, which with single-use tokens kills the grant; so {@code
 * broker.refresh.lease-ttl} must exceed this bound (checked at start), and a lease the scheduler
 * claimed is only started while at least this much of it is left.
 *
 * <p>The client secret and the stored token's data key are read before the lease is taken, so the
 * attempt itself only meets Vault when the provider answers {@code invalid_client} (the secret is
 * read again) or when a value was sealed under a key this replica has not unwrapped yet.
 */
@ApplicationScoped
public class AttemptBound {

  /**
   * Token calls of one attempt at worst: the first, then the re-read secret and the previous one
   * after {@code invalid_client}.
   */
  static final int TOKEN_CALLS = 3;

  /** Vault calls of one attempt at worst: the secret re-read and one data-key unwrap. */
  static final int VAULT_CALLS = 2;

  /** Writing the result, with its short retries. */
  static final Duration WRITE = Duration.ofSeconds(2);

  private final Duration worst;
  private final String breakdown;

  @Inject
  AttemptBound(
      ProviderCatalog providers,
      CryptoConfig crypto,
      @ConfigProperty(name = "quarkus.vault.url") Optional<String> vaultUrl) {
    this(
        callTimes(providers.all()),
        vaultUrl.filter(u -> !u.isBlank()).map(u -> crypto.vaultTimeout()));
  }

  /**
   * @param callByProvider each provider's longest token call (connect plus read timeout), by id
   * @param vaultCall the longest Vault call, when Vault is configured
   */
  AttemptBound(Map<String, Duration> callByProvider, Optional<Duration> vaultCall) {
    String slowest = null;
    Duration call = Duration.ZERO;
    for (Map.Entry<String, Duration> e : callByProvider.entrySet()) {
      if (e.getValue().compareTo(call) > 0) {
        call = e.getValue();
        slowest = e.getKey();
      }
    }
    Duration vault = vaultCall.orElse(Duration.ZERO);
    this.worst = call.multipliedBy(TOKEN_CALLS).plus(vault.multipliedBy(VAULT_CALLS)).plus(WRITE);
    this.breakdown =
        TOKEN_CALLS
            + " token calls of "
            + (slowest == null ? "no provider" : "broker.providers." + slowest)
            + ".connect-timeout + read-timeout ("
            + call
            + ")"
            + vaultCall
                .map(v -> " + " + VAULT_CALLS + " calls of broker.crypto.vault-timeout (" + v + ")")
                .orElse("")
            + " + "
            + WRITE
            + " to write the result";
  }

  private static Map<String, Duration> callTimes(Collection<Provider> providers) {
    Map<String, Duration> times = new TreeMap<>();
    providers.forEach(p -> times.put(p.id(), p.connectTimeout().plus(p.readTimeout())));
    return times;
  }

  /** One attempt's worst case. */
  public Duration worst() {
    return worst;
  }

  /** Which settings add up to {@link #worst()}, for messages that must name them. */
  public String breakdown() {
    return breakdown;
  }
}
