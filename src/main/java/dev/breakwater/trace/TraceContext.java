package dev.breakwater.trace;

import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.util.Optional;

/**
 * The trace of the request this thread is serving. Each request runs on its own virtual thread
 * and calls the processor on that same thread, so a thread-local carries the trace from the
 * edge's filter to the processor client without widening the PaymentProcessor port; the filter
 * clears it when the request ends, so nothing outlives the request.
 */
public final class TraceContext implements Filter {
    private static final ThreadLocal<TraceParent> CURRENT = new ThreadLocal<>();

    /** The trace of the current request, if this thread is serving one. */
    public static Optional<TraceParent> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Continues the caller's {@code traceparent} when it is valid, otherwise starts a trace. */
    @Override
    public Response filter(Request request, Handler next) throws Exception {
        TraceParent trace = TraceParent.parse(request.header(TraceParent.HEADER)).orElseGet(TraceParent::start);
        request.note("trace_id", trace.traceId());
        TraceParent outer = CURRENT.get();
        CURRENT.set(trace);
        try {
            return next.handle(request);
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }
}
