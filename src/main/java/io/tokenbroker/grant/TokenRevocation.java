package io.tokenbroker.grant;

import io.tokenbroker.crypto.SecretStore;
import io.tokenbroker.provider.ClientAuthMethod;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * RFC 7009 token revocation, best effort: a provider that cannot revoke (Pinterest revokes only
 * system-user tokens today) must not stop a connection from being deleted here.
 */
@ApplicationScoped
public class TokenRevocation {

  private static final Logger LOG = Logger.getLogger(TokenRevocation.class);

  private final UpstreamClients clients;
  private final SecretStore secrets;

  TokenRevocation(UpstreamClients clients, SecretStore secrets) {
    this.clients = clients;
    this.secrets = secrets;
  }

  /**
   * @return true when the provider confirmed the revocation
   */
  public boolean revoke(Provider provider, String token, String typeHint) {
    if (provider.revocationEndpoint().isEmpty()) {
      return false;
    }
    try {
      String secret = secrets.clientSecret(provider.id()).current();
      MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
      form.add("token", token);
      form.add("token_type_hint", typeHint);
      String authorization = null;
      if (provider.clientAuth() == ClientAuthMethod.BASIC) {
        authorization = TokenEndpointClient.basic(provider.clientId(), secret);
      } else {
        form.add("client_id", provider.clientId());
        form.add("client_secret", secret);
      }
      String auth = authorization;
      try (Response answer =
          UpstreamClients.answer(
              () ->
                  clients
                      .forEndpoint(provider, provider.revocationEndpoint().get())
                      .postForm(auth, form))) {
        boolean ok = answer.getStatus() / 100 == 2;
        if (!ok) {
          LOG.infof(
              "provider %s did not revoke a %s (HTTP %d)",
              provider.id(), typeHint, answer.getStatus());
        }
        return ok;
      }
    } catch (ProcessingException | io.tokenbroker.problem.BrokerException e) {
      LOG.infof("provider %s revocation failed: %s", provider.id(), e.getClass().getSimpleName());
      return false;
    }
  }
}
