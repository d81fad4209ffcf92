/**
 * The stored grant of one upstream account: status and its transitions, scopes, encrypted tokens,
 * expiries and allowed callers; the administration API; the census behind the connection gauges. It
 * sits below refresh, token and authorization: it never calls the refresh engine.
 */
package io.tokenbroker.connection;
