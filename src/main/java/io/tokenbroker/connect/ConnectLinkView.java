package io.tokenbroker.connect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenbroker.provider.Scopes;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A connect link as administrators see it: everything but its token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectLinkView(
    UUID id,
    String provider,
    List<String> scopes,
    @JsonProperty("allowed_callers") List<String> allowedCallers,
    String label,
    String note,
    LinkStatus status,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("used_at") Instant usedAt,
    @JsonProperty("connection_id") UUID connectionId,
    @JsonProperty("revoked_at") Instant revokedAt,
    @JsonProperty("revoked_by") String revokedBy) {

  static ConnectLinkView of(ConnectLink link, Instant now) {
    return new ConnectLinkView(
        link.id,
        link.provider,
        List.copyOf(Scopes.parse(link.scopes)),
        link.allowedCallers == null
            ? List.of()
            : Arrays.stream(link.allowedCallers.split(",")).filter(s -> !s.isEmpty()).toList(),
        link.label,
        link.note,
        link.status(now),
        link.createdBy,
        link.createdAt,
        link.expiresAt,
        link.usedAt,
        link.connectionId,
        link.revokedAt,
        link.revokedBy);
  }
}
