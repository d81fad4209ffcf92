/**
 * The API proxy: callers call the provider's API through the broker ({@code
 * /v1/connections/{id}/proxy/{path}}) and never hold the upstream token, so removing a caller from
 * a connection takes its access away at once. Bodies are streamed both ways on the Vert.x event
 * loop; nothing here reads a whole body into memory or writes one to a log.
 */
package io.tokenbroker.proxy;
