/** Refunds: reserved through the payments port against the captured amount, confirmed by the processor, never above what was captured. */
package dev.breakwater.refunds;
