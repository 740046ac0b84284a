/**
 * Vocabulary shared by every feature: the domain failures each rule throws (mapped to problems
 * at the edge), prefixed opaque ids, money limits and how status enums are spelled. Ids are typed
 * where one crosses a feature boundary ({@code payments.PaymentId} at the port refunds use).
 */
package dev.breakwater.domain;
