/** The scheduled refresher: due selection, cross-replica lease with fencing, rotation, backoff. */
package io.tokenbroker.refresh;
