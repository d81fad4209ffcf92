/**
 * Signed webhooks (Standard Webhooks) that tell the owning team when a connection is linked,
 * degrades, recovers, needs reauthorization or is revoked: an outbox written in the transaction of
 * the change, delivered at least once by one replica at a time, retried with backoff.
 */
package io.tokenbroker.webhook;
