/**
 * Gatling simulations of the retry storm (profile {@code load}): the server they start in the
 * "before" or "after" wiring, the order chain that follows the shared retry policy, and the
 * side-by-side table of the verifier's reports. Run with {@code ./run.sh storm}.
 */
package dev.breakwater.load;
