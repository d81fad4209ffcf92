package io.tokenbroker.connection;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenbroker.caller.CallerNames;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code PUT /v1/connections/{id}/callers}: the complete new list of allowed callers. */
public record CallersUpdate(
    @JsonProperty("allowed_callers")
        @NotNull(message = "is required")
        @Size(max = 100, message = "may hold at most 100 callers")
        List<
                @NotNull(message = "must not be null")
                @Pattern(
                    regexp = CallerNames.PATTERN,
                    message = "must be 1-255 printable characters without spaces")
                String>
            allowedCallers) {}
