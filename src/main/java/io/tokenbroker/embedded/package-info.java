/**
 * The embedded evaluation default: a private PostgreSQL started on demand, and the startup warning
 * that this mode is not for production.
 */
package io.tokenbroker.embedded;
