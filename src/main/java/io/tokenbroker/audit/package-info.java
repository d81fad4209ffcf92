/** The audit trail: who did what to which connection, with which outcome. */
package io.tokenbroker.audit;
