/**
 * The retry-storm harness shared by the bounded storm test and the Gatling simulations under
 * load/: the client retry policy, the "before" wiring without guards, and the verifier that
 * holds the database and the processor's ledger against what the clients saw.
 */
package dev.breakwater.storm;
