package dev.breakwater.observability;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: what the idempotency layer decided for one POST; a storm shows as a run of replayed/conflict. */
@Name("breakwater.IdempotencyDecision")
@Label("Idempotency Decision")
@Category({"Breakwater", "HTTP"})
@Description("new, resumed, replayed, conflict (same key in flight) or mismatch (same key, other request)")
@StackTrace(false)
final class IdempotencyDecisionEvent extends Event {
    @Label("Request Id")
    String requestId;
    @Label("Account")
    String account;
    @Label("Route")
    String route;
    @Label("Decision")
    String decision;
    @Label("Status")
    int status;
}
