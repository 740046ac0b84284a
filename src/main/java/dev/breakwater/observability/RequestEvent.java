package dev.breakwater.observability;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: one HTTP request, from the first filter to the response being handed to the server. */
@Name("breakwater.Request")
@Label("HTTP Request")
@Category({"Breakwater", "HTTP"})
@Description("One API request: route template, status and the idempotency and rate-limit outcomes")
@StackTrace(false)
final class RequestEvent extends Event {
    @Label("Request Id")
    String requestId;
    @Label("Method")
    String method;
    @Label("Route")
    String route;
    @Label("Status")
    int status;
    @Label("Account")
    String account;
    @Label("Idempotency")
    String idempotency;
    @Label("Rate Limit")
    String rateLimit;
    @Label("Problem Type")
    String problemType;
}
