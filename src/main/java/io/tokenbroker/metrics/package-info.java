/** The one place that names every meter the broker exports. */
package io.tokenbroker.metrics;
