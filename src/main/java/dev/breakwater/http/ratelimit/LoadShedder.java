package dev.breakwater.http.ratelimit;

import dev.breakwater.http.TrafficClass;
import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the node's total work in flight, which virtual threads no longer bound, and chooses
 * what to drop when it is full: reads may fill only part of the capacity, other writes a larger
 * part, and payment creation, capture and refunds all of it, so as load grows reads get
 * 503 first and money movement keeps its reserved share longest. A slot is taken with
 * compare-and-set, so a flood of reads can never push the count past its own share and into
 * the share kept for critical requests.
 *
 * <p>Runs first, before authentication: shedding must be the cheapest thing the node does.
 * The 503 carries {@code Retry-After} with one second of jitter so that shed clients do not all
 * come back in the same instant, and a {@code "capacity"} policy whose quota is 0 for this kind
 * of request right now (the draft's "temporarily lower quota"), without revealing the node's size.
 */
public final class LoadShedder implements Filter {
    static final String POLICY = "capacity";
    private static final String POLICY_MEMBER = '"' + POLICY + "\";q=0;" + Throttling.CONCURRENT_REQUESTS;
    private static final int RETRY_AFTER_SECONDS = 1;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int criticalLimit;
    private final int writeLimit;
    private final int readLimit;

    public LoadShedder(RateLimitConfig.Shedding shedding) {
        this.criticalLimit = shedding.capacity();
        this.writeLimit = shedding.writeLimit();
        this.readLimit = shedding.readLimit();
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        int limit = switch (request.trafficClass()) {
            case CRITICAL -> criticalLimit;
            case WRITE -> writeLimit;
            case READ -> readLimit;
        };
        if (!tryEnter(limit)) {
            long retryAfter = RETRY_AFTER_SECONDS + ThreadLocalRandom.current().nextInt(2);
            request.note(Throttling.NOTE, Throttling.SHED);
            Throttling.advertise(request, POLICY_MEMBER, Throttling.limitMember(POLICY, 0, retryAfter));
            throw Throttling.reducedCapacity(POLICY, retryAfter);
        }
        request.note(Throttling.NOTE, Throttling.ALLOWED);
        try {
            return next.handle(request);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Requests admitted and not yet finished (for metrics and tests). */
    public int inFlight() {
        return inFlight.get();
    }

    private boolean tryEnter(int limit) {
        while (true) {
            int current = inFlight.get();
            if (current >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }
}
