/** The card-processor port, the in-process sandbox processor and the HTTP processor client. */
package dev.breakwater.processor;
