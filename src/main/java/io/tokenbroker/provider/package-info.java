/**
 * The provider catalogue: every upstream authorization server the broker talks to, from
 * configuration, with the Pinterest preset.
 */
package io.tokenbroker.provider;
