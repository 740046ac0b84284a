/** Operator endpoints and background housekeeping. */
package dev.breakwater.ops;
