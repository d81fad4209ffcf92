/** The caller-facing token API: serve a cached valid token, refresh on demand (single flight). */
package io.tokenbroker.token;
