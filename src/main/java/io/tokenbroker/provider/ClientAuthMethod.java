package io.tokenbroker.provider;

/** How the broker authenticates itself at a token endpoint (RFC 6749 section 2.3.1). */
public enum ClientAuthMethod {
  /** {@code Authorization: Basic base64(client_id:client_secret)}; Pinterest requires this. */
  BASIC,
  /** {@code client_id} and {@code client_secret} as form fields. */
  POST
}
