package io.tokenbroker.imports;

import io.tokenbroker.connection.ConnectionView;

/** The imported connection as stored, and whether the import created it. */
public record ImportResult(ConnectionView connection, boolean created) {}
