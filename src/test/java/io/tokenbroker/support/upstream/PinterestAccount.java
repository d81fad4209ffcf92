package io.tokenbroker.support.upstream;

/**
 * A Pinterest user account as {@code GET /v5/user_account} describes it: {@code id} is a string of
 * digits and the stable key, {@code username} the human label.
 */
public record PinterestAccount(String id, String username, String accountType) {}
