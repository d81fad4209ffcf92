package io.tokenbroker.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of the token endpoints: {@code POST /v1/connections/{id}/access-token} and {@code POST
 * /v1/providers/{provider}/client-token}. An empty body asks for any granted scopes and the default
 * minimum lifetime.
 */
public record TokenRequest(
    @JsonProperty("min_ttl_seconds")
        @Min(value = 0, message = "must not be negative")
        @Max(value = 2_592_000, message = "must be at most 2592000")
        Integer minTtlSeconds,
    @Size(max = 50, message = "may hold at most 50 scopes")
        List<
                @NotNull(message = "must not be null") @Size(max = 256, message = "is too long")
                String>
            scopes) {

  static final TokenRequest EMPTY = new TokenRequest(null, null);
}
