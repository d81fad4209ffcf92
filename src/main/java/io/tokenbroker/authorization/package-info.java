/** Pending authorization requests (state, PKCE, return_to) and the browser callback. */
package io.tokenbroker.authorization;
