/** Envelope encryption of stored tokens and the secret store (Vault, or config when embedded). */
package io.tokenbroker.crypto;
