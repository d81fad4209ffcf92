/**
 * Importing grants the broker did not obtain itself: an existing refresh token is proven by one
 * refresh, its account looked up, and the connection stored through the same linking code as a
 * completed authorization.
 */
package io.tokenbroker.imports;
