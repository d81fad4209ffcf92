package io.tokenbroker.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of the token endpoints: {@code POST /v1/connections/{id}/access-token} and {@code POST
 * /v1/providers/{provider}/client-token}. An empty body asks for any granted scopes and the default
 * minimum lifetime.
 */
public record TokenRequest(
    @JsonProperty("min_ttl_seconds")
        @Schema(
            description =
                "Least remaining lifetime, in seconds, the served token must have; default 60"
                    + " (broker.token.default-min-ttl), at most broker.token.max-min-ttl (86400 by"
                    + " default). A token obtained in the last 60 s is served even when it lives"
                    + " less.",
            minimum = "0",
            maximum = "86400")
        @Min(value = 0, message = "must not be negative")
        // The configured limit (broker.token.max-min-ttl, at most 30 days) is checked by
        // TokenRequests; this only bounds what the number may be at all.
        @Max(value = 2_592_000, message = "must be at most 2592000")
        Integer minTtlSeconds,
    @Schema(
            description =
                "Scopes the token must carry; the connection must have been granted all of them."
                    + " For client-token, the scopes to ask the provider for (default: its default"
                    + " scopes).")
        @Size(max = 50, message = "may hold at most 50 scopes")
        List<
                @NotNull(message = "must not be null") @Size(max = 256, message = "is too long")
                String>
            scopes) {

  static final TokenRequest EMPTY = new TokenRequest(null, null);
}
