package io.tokenbroker.connect;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenbroker.caller.CallerNames;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /v1/connect-links}. */
public record CreateConnectLink(
    @NotBlank(message = "is required") @Size(max = 64, message = "is too long") String provider,
    @Size(max = 50, message = "may hold at most 50 scopes")
        List<
                @NotNull(message = "must not be null") @Size(max = 256, message = "is too long")
                String>
            scopes,
    @JsonProperty("allowed_callers")
        @NotNull(message = "is required")
        @Size(min = 1, max = 100, message = "must name 1 to 100 callers")
        List<
                @NotNull(message = "must not be null")
                @Pattern(
                    regexp = CallerNames.PATTERN,
                    message = "must be 1-255 printable characters without spaces or commas")
                String>
            allowedCallers,
    @Size(max = 255, message = "is too long")
        @Pattern(
            regexp = NO_CONTROL,
            message = "must not contain control characters or unpaired surrogates")
        String label,
    @JsonProperty("expires_in_seconds")
        @Min(value = 60, message = "must be at least 60")
        @Max(
            value = CreateConnectLink.MAX_LIFETIME_SECONDS,
            message = "must be at most 2592000 (30 days)")
        Long expiresInSeconds,
    @Size(max = 1000, message = "is too long")
        // The note is shown to the person as text; line breaks are kept, other controls refused.
        @Pattern(
            regexp = "^(?:[^\\p{Cntrl}\\p{Cs}]|\\r?\\n)*$",
            message =
                "must not contain control characters (other than line breaks) or unpaired surrogates")
        String note) {

  static final long DEFAULT_LIFETIME_SECONDS = 7L * 24 * 3600;
  static final long MAX_LIFETIME_SECONDS = 30L * 24 * 3600;

  // A lone surrogate cannot be stored as UTF-8: the driver would silently turn it into '?'.
  private static final String NO_CONTROL = "^[^\\p{Cntrl}\\p{Cs}]*$";

  long lifetimeSeconds() {
    return expiresInSeconds == null ? DEFAULT_LIFETIME_SECONDS : expiresInSeconds;
  }
}
