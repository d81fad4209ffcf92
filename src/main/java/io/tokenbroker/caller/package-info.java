/**
 * Who is calling and what they may do. Caller JWTs are verified by SmallRye JWT ({@link
 * io.tokenbroker.caller.CallerVerification}); each verified token becomes a {@link
 * io.tokenbroker.caller.Caller}, and {@link io.tokenbroker.caller.CallerPolicy} is the one place
 * that decides. On the embedded default without an identity provider, the broker trusts a key pair
 * of its own and mints tokens for local trials ({@link io.tokenbroker.caller.DevCallerTokenRoute}).
 */
package io.tokenbroker.caller;
