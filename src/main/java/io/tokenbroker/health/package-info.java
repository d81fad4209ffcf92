/**
 * Readiness served from memory: background checks keep each dependency's state current, and {@code
 * /q/health/ready} answers from that state at once, whatever PostgreSQL or Vault are doing. A leaf
 * package: domains implement {@link io.tokenbroker.health.ReadinessProbe}; nothing here depends on
 * a domain.
 */
package io.tokenbroker.health;
