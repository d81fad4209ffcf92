package io.tokenbroker.authorization;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenbroker.caller.CallerNames;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /v1/authorizations}. */
public record StartAuthorization(
    @NotBlank(message = "is required") @Size(max = 64, message = "is too long") String provider,
    @Size(max = 50, message = "may hold at most 50 scopes")
        List<
                @NotNull(message = "must not be null") @Size(max = 256, message = "is too long")
                String>
            scopes,
    @JsonProperty("return_to") @Size(max = 2048, message = "is too long") String returnTo,
    @JsonProperty("allowed_callers") @Size(max = 100, message = "may hold at most 100 callers")
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
        String label) {}
