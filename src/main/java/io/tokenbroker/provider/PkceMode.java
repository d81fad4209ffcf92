package io.tokenbroker.provider;

/** Whether authorization requests carry an RFC 7636 code challenge. */
public enum PkceMode {
  S256,
  NONE
}
