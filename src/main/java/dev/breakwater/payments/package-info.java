/**
 * Payments: the {@code Payment} model with its named transitions (capture, cancel, refund), its
 * table, and the endpoints that run them around the card processor in recoverable phases.
 * Public: the handlers, and {@code Payments}' port that refunds reserve against.
 */
package dev.breakwater.payments;
