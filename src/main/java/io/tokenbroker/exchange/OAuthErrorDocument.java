package io.tokenbroker.exchange;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of {@link OAuthError} responses, for the OpenAPI document only (the responses
 * themselves are written from a map, since extension members vary).
 */
@Schema(
    name = "OAuthError",
    description =
        "RFC 6749 section 5.2 error. Extension members: 'reauthorize' (invalid_grant: how to link"
            + " the account again), 'granted_scope' (invalid_scope: what the connection was"
            + " granted).")
record OAuthErrorDocument(
    @Schema(
            enumeration = {
              OAuthError.INVALID_REQUEST,
              OAuthError.INVALID_CLIENT,
              OAuthError.INVALID_GRANT,
              OAuthError.UNSUPPORTED_GRANT_TYPE,
              OAuthError.INVALID_SCOPE,
              OAuthError.INVALID_TARGET,
              OAuthError.TEMPORARILY_UNAVAILABLE,
              OAuthError.SERVER_ERROR
            })
        String error,
    @JsonProperty("error_description") String errorDescription) {}
