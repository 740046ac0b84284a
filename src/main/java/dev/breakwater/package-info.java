/** Breakwater: the entry point, configuration and the composition root. */
package dev.breakwater;
