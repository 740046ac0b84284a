package dev.breakwater.observability;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: one call to the card processor port; its duration is the processor's latency as the API saw it. */
@Name("breakwater.ProcessorCall")
@Label("Processor Call")
@Category({"Breakwater", "Processor"})
@Description("authorize, capture, cancel or refund, its outcome (approved, declined, invalid, error, timeout, unavailable) and transport")
@StackTrace(false)
final class ProcessorCallEvent extends Event {
    @Label("Operation")
    String operation;
    @Label("Outcome")
    String outcome;
    @Label("Transport")
    @Description("sandbox (in-process), http or grpc")
    String transport;
}
