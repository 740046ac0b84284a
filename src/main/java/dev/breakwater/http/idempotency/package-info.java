/** Idempotency-Key handling: header parsing, durable records with recovery points, and the executor that replays, rejects or resumes. */
package dev.breakwater.http.idempotency;
