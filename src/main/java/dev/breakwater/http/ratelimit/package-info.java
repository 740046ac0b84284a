/**
 * Throttling that knows no feature: per-account request rates (GCRA) and concurrency, a
 * per-address limit on failed authentication, and a node load shedder, all answering 429/503
 * with {@code Retry-After} and the draft-ietf-httpapi-ratelimit-headers fields before any
 * database work is done.
 */
package dev.breakwater.http.ratelimit;
