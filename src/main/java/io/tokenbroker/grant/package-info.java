/** Upstream token-endpoint calls, one class per grant, and the classification of their errors. */
package io.tokenbroker.grant;
