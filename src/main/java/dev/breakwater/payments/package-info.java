/** Payments: authorize, capture and cancel against the card processor, in recoverable phases. */
package dev.breakwater.payments;
