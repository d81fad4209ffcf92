package io.tokenbroker.authorization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenbroker.grant.UpstreamClients;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * Asks the provider who the new token belongs to (Pinterest: GET /v5/user_account), so that a
 * second link of the same account updates its connection instead of creating another.
 */
@ApplicationScoped
public class AccountLookup {

  /** The upstream account: a stable id and an optional display name. */
  public record Account(String id, Optional<String> name) {}

  private final UpstreamClients clients;
  private final ObjectMapper json;

  AccountLookup(UpstreamClients clients, ObjectMapper json) {
    this.clients = clients;
    this.json = json;
  }

  public Account lookup(Provider provider, String accessToken) {
    if (provider.accountEndpoint().isEmpty()) {
      throw new BrokerException(
          ProblemCode.UPSTREAM_REJECTED,
          "Provider '"
              + provider.id()
              + "' has no account-endpoint to identify the linked account.");
    }
    try (Response answer =
        UpstreamClients.answer(
            () ->
                clients
                    .forEndpoint(provider, provider.accountEndpoint().get())
                    .getJson("Bearer " + accessToken))) {
      if (answer.getStatus() / 100 != 2) {
        // Only a refusal of the token is the token's fault; rate limits, timeouts and outages
        // pass, so the caller may retry (an import answers 503, not 422).
        boolean refused = answer.getStatus() == 401 || answer.getStatus() == 403;
        throw new BrokerException(
            refused ? ProblemCode.UPSTREAM_REJECTED : ProblemCode.UPSTREAM_UNAVAILABLE,
            "The provider's account endpoint answered HTTP " + answer.getStatus() + ".");
      }
      JsonNode body = json.readTree(answer.readEntity(String.class));
      JsonNode id = body.path(provider.accountIdField());
      if (!(id.isTextual() || id.isNumber())
          || id.asText().isBlank()
          || id.asText().length() > 255) {
        throw new BrokerException(
            ProblemCode.UPSTREAM_REJECTED,
            "The provider's account answer has no usable '"
                + provider.accountIdField()
                + "' field.");
      }
      JsonNode name = body.path(provider.accountNameField());
      return new Account(
          id.asText(), name.isTextual() ? Optional.of(clip(name.asText())) : Optional.empty());
    } catch (ProcessingException e) {
      throw new BrokerException(
          ProblemCode.UPSTREAM_UNAVAILABLE, "The provider's account endpoint did not answer.", e);
    } catch (java.io.IOException e) {
      throw new BrokerException(
          ProblemCode.UPSTREAM_REJECTED, "The provider's account answer is not JSON.", e);
    }
  }

  private static String clip(String value) {
    return value.length() > 255 ? value.substring(0, 255) : value;
  }
}
