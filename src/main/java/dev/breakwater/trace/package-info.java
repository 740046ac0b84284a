/** W3C trace context: the edge accepts or starts a trace per request and hands it to processor calls. */
package dev.breakwater.trace;
