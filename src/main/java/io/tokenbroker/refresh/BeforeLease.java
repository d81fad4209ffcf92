package io.tokenbroker.refresh;

import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.crypto.SecretStore;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads what an attempt needs from the secret store and the key ring before its lease is taken. A
 * hung or absent Vault then costs a wait without a lease, not a lease held until it runs out; and a
 * replica that cannot open a stored token (a key it does not hold) gives up before it has written
 * anything, so it never puts the connection into backoff for the replicas that can.
 */
@ApplicationScoped
class BeforeLease {

  private final SecretStore secrets;
  private final ConnectionStore store;

  BeforeLease(SecretStore secrets, ConnectionStore store) {
    this.secrets = secrets;
    this.store = store;
  }

  /**
   * Caches the provider's client secret (it is read again only after its cache time).
   *
   * @throws io.tokenbroker.problem.BrokerException when the secret store cannot answer
   */
  void readSecret(Provider provider) {
    secrets.clientSecret(provider.id());
  }

  /**
   * Reads the secret and opens the row's refresh token once, which unwraps its data key if this
   * replica did not hold it yet; the token itself is opened again under the lease, from the row as
   * the lease found it.
   *
   * @throws io.tokenbroker.problem.BrokerException when Vault cannot answer or the key is not held
   */
  void read(Provider provider, ConnectionSnapshot row) {
    readSecret(provider);
    if (row.refreshTokenEnc() != null) {
      store.openRefreshToken(row.id(), row.refreshTokenEnc());
    }
  }
}
