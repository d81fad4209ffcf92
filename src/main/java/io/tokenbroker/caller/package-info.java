/** Who is calling (from the JWT) and the one policy that decides what a caller may do. */
package io.tokenbroker.caller;
