/**
 * Log hygiene: a request id on every request and log line, and secrets masked in every log line.
 */
package io.tokenbroker.logging;
