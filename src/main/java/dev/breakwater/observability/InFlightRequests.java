package dev.breakwater.observability;

import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first filter: counts requests inside the pipeline (the in-flight gauge; the observer only
 * sees completions) and begins each request's JFR event.
 */
final class InFlightRequests implements Filter {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final FlightRecorderEvents events;

    InFlightRequests(FlightRecorderEvents events) {
        this.events = events;
    }

    int current() {
        return inFlight.get();
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        inFlight.incrementAndGet();
        events.begin(request);
        try {
            return next.handle(request);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
