/**
 * Generic tools with no domain in them (single flight, batched deletes), used by several packages.
 * A foundation package: it imports no other package of the broker.
 */
package io.tokenbroker.shared;
