package io.tokenbroker.provider;

import java.time.Duration;
import java.util.List;

/**
 * Pinterest API v5 as documented (see shared/reference/pinterest-oauth.md): Basic client auth,
 * comma-separated scopes in requests, GET /v5/user_account for the account, 30-day access tokens
 * and 60-day refresh tokens that rotate on every refresh.
 */
final class PinterestPreset {

  static final String NAME = "pinterest";
  static final String AUTHORIZATION_ENDPOINT = "https://www.pinterest.com/oauth/";
  static final String TOKEN_ENDPOINT = "https://api.pinterest.com/v5/oauth/token";
  static final String REVOCATION_ENDPOINT = "https://api.pinterest.com/v5/oauth/token/revoke";
  static final String ACCOUNT_ENDPOINT = "https://api.pinterest.com/v5/user_account";
  static final String API_BASE_URL = "https://api.pinterest.com/v5/";

  /** The 19 scopes of the v5 OpenAPI description (release 5.23.0). */
  static final List<String> SCOPES =
      List.of(
          "ads:read",
          "ads:write",
          "billing:read",
          "billing:write",
          "biz_access:read",
          "biz_access:write",
          "boards:read",
          "boards:read_secret",
          "boards:write",
          "boards:write_secret",
          "catalogs:read",
          "catalogs:write",
          "msot:write",
          "pins:read",
          "pins:read_secret",
          "pins:write",
          "pins:write_secret",
          "user_accounts:read",
          "user_accounts:write");

  /** user_accounts:read lets the broker label the connection with GET /v5/user_account. */
  static final List<String> DEFAULT_SCOPES =
      List.of("boards:read", "pins:read", "user_accounts:read");

  /** Pinterest suggests refreshing a 30-day token at day 29. */
  static final Duration ACCESS_TOKEN_MARGIN = Duration.ofDays(1);

  static final Duration REFRESH_TOKEN_MARGIN = Duration.ofDays(7);

  private PinterestPreset() {}
}
