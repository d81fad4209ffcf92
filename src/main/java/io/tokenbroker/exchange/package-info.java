/**
 * The OAuth 2.0 Token Exchange door (RFC 8693): {@code POST /v1/token} and the RFC 8414 metadata
 * that advertises it. A second door onto the same token services as the broker's own API ({@code
 * io.tokenbroker.token}): it only translates the form request into their calls and their answers
 * and failures into RFC 6749 token and error responses, so cache, caller policy, metrics and audit
 * are the same whichever door a caller uses.
 */
package io.tokenbroker.exchange;
