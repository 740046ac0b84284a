/**
 * API versions as thin edges around one model: which version a path belongs to, the lifecycle
 * headers (Deprecation, Sunset) and 410 of a retiring version, and the transforms that let /v2
 * speak its own request and response shapes through the same handlers, store and idempotency
 * records. docs/versioning.md gives the policy.
 */
package dev.breakwater.versions;
