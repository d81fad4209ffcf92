package io.tokenbroker.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenbroker.caller.CallerNames;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /v1/connections/import}. {@link #toString()} is redacted: the record holds a
 * live refresh token, and validation or error paths must never print it.
 */
public record ImportRequest(
    @NotBlank(message = "is required") @Size(max = 64, message = "is too long") String provider,
    @JsonProperty("refresh_token")
        @NotBlank(message = "is required")
        @Size(max = 4096, message = "is too long")
        String refreshToken,
    @JsonProperty("access_token") @Size(max = 4096, message = "is too long") String accessToken,
    @JsonProperty("access_token_expires_at") Instant accessTokenExpiresAt,
    @Size(max = 50, message = "may hold at most 50 scopes")
        List<
                @NotNull(message = "must not be null") @Size(max = 256, message = "is too long")
                String>
            scopes,
    @JsonProperty("allowed_callers")
        @NotNull(message = "is required")
        @Size(max = 100, message = "may hold at most 100 callers")
        List<
                @NotNull(message = "must not be null")
                @Pattern(
                    regexp = CallerNames.PATTERN,
                    message = "must be 1-255 printable characters without spaces or commas")
                String>
            allowedCallers,
    @Size(max = 255, message = "is too long")
        // A lone surrogate cannot be stored as UTF-8: the driver would silently turn it into '?'.
        @Pattern(
            regexp = "^[^\\p{Cntrl}\\p{Cs}]*$",
            message = "must not contain control characters or unpaired surrogates")
        String label) {

  @Override
  public String toString() {
    return "ImportRequest[provider="
        + provider
        + ", accessToken="
        + (accessToken == null ? "absent" : "present")
        + ", scopes="
        + scopes
        + ", allowedCallers="
        + allowedCallers
        + ", label="
        + label
        + "]";
  }
}
