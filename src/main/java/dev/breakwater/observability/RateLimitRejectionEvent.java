package dev.breakwater.observability;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: a request the rate limiter or the load shedder turned away (429 or 503). */
@Name("breakwater.RateLimitRejection")
@Label("Rate Limit Rejection")
@Category({"Breakwater", "HTTP"})
@Description("A 429 for a named policy or the concurrency limiter, or a 503 from the load shedder")
@StackTrace(false)
final class RateLimitRejectionEvent extends Event {
    @Label("Request Id")
    String requestId;
    @Label("Account")
    String account;
    @Label("Route")
    String route;
    @Label("Policy")
    @Description("The violated policy, 'concurrency', or 'shed'")
    String policy;
    @Label("Status")
    int status;
}
