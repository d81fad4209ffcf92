/**
 * Connect links: a hosted page where the owner of an upstream account links it without an
 * administrator in the loop. An administrator creates a link ({@code /v1/connect-links}); the
 * person opens {@code /connect/<token>}, continues to the provider through the authorization
 * package's own start and callback, and ends on a "Linked" page.
 */
package io.tokenbroker.connect;
