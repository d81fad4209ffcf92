/**
 * The one place that names every meter the broker exports, with the tag values each takes. A leaf
 * package: domains map their own results to these tag values and call in; nothing here imports
 * another package of the broker.
 */
package io.tokenbroker.metrics;
