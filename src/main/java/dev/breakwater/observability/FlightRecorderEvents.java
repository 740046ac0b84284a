package dev.breakwater.observability;

import dev.breakwater.http.Request;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Emits the request-level JFR events. A request event is begun by the first filter and committed
 * by the observer once the response is written, so its duration covers the whole pipeline and
 * the .jfc threshold applies to it; the others are instants at completion. Nothing is allocated
 * or stored unless a recording has the event enabled.
 */
final class FlightRecorderEvents {
    private final Map<String, RequestEvent> open = new ConcurrentHashMap<>();

    void begin(Request request) {
        RequestEvent event = new RequestEvent();
        if (event.isEnabled()) {
            event.begin();
            open.put(request.requestId(), event);
        }
    }

    void complete(CompletedRequest done) {
        RequestEvent event = open.remove(done.requestId());
        if (event == null) {
            // Never reached the filters (e.g. a 413 while reading the body) or the recording started mid-request.
            event = new RequestEvent();
        }
        event.end();
        if (event.shouldCommit()) {
            event.requestId = done.requestId();
            event.method = done.method();
            event.route = done.route();
            event.status = done.status();
            event.account = done.account();
            event.idempotency = done.idempotency();
            event.rateLimit = done.rateLimit();
            event.problemType = done.problemType();
            event.commit();
        }
        if (done.idempotency() != null) {
            IdempotencyDecisionEvent decision = new IdempotencyDecisionEvent();
            if (decision.shouldCommit()) {
                decision.requestId = done.requestId();
                decision.account = done.account();
                decision.route = done.route();
                decision.decision = done.idempotency();
                decision.status = done.status();
                decision.commit();
            }
        }
        String policy = done.shed() ? "shed" : done.throttledBy();
        if (policy != null) {
            RateLimitRejectionEvent rejection = new RateLimitRejectionEvent();
            if (rejection.shouldCommit()) {
                rejection.requestId = done.requestId();
                rejection.account = done.account();
                rejection.route = done.route();
                rejection.policy = policy;
                rejection.status = done.status();
                rejection.commit();
            }
        }
    }
}
