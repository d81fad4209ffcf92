/**
 * The scheduled refresher and every refresh: batch claims of due connections, cross-replica lease
 * with fencing, rotation, backoff.
 */
package io.tokenbroker.refresh;
