package dev.breakwater.http.ratelimit;

import dev.breakwater.http.TrafficClass;
import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.PreparedProblem;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The request-rate limiter per account, after authentication and before anything touches the
 * database: GET and HEAD draw on the {@code reads} policy, every other method on {@code writes}.
 * Every response it lets through, and every later failure, carries that policy's
 * {@code RateLimit-Policy} and {@code RateLimit}; a request over quota gets 429
 * {@code quota-exceeded} with {@code Retry-After} equal to the {@code t} of {@code RateLimit},
 * returned rather than thrown (the filters outside it see a response either way).
 */
public final class AccountRateLimiter implements Filter {
    private final RateLimitStore store;
    private final Quota writes;
    private final Quota reads;
    private final LongSupplier nanoTime;

    /**
     * A policy with what it says on every request built once: its header member, its note, and
     * its 429 for each wait (0 to the window, the most GCRA can ask), rendered at first use.
     * A storm answers the same few rejections thousands of times a second (docs/performance.md).
     */
    private static final class Quota {
        private final RatePolicy policy;
        private final String member;
        private final String rejectedNote;
        private final AtomicReferenceArray<PreparedProblem> rejections;

        Quota(RatePolicy policy) {
            this.policy = policy;
            this.member = policy.headerMember();
            this.rejectedNote = "rejected:" + policy.name();
            this.rejections = new AtomicReferenceArray<>(policy.windowSeconds() + 1);
        }

        Response rejection(long waitSeconds, String requestId) {
            if (waitSeconds < 0 || waitSeconds >= rejections.length()) {
                return new PreparedProblem(Throttling.quotaExceeded(policy, waitSeconds)).respond(requestId);
            }
            int slot = (int) waitSeconds;
            PreparedProblem prepared = rejections.get(slot);
            if (prepared == null) { // two first rejections may both render: the same bytes, one kept
                prepared = new PreparedProblem(Throttling.quotaExceeded(policy, waitSeconds));
                rejections.set(slot, prepared);
            }
            return prepared.respond(requestId);
        }
    }

    public AccountRateLimiter(RateLimitStore store, RatePolicy writes, RatePolicy reads, LongSupplier nanoTime) {
        this.store = store;
        this.writes = new Quota(writes);
        this.reads = new Quota(reads);
        this.nanoTime = nanoTime;
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        String account = request.accountId();
        if (account == null) {
            throw new IllegalStateException("AccountRateLimiter must run after authentication");
        }
        Quota quota = TrafficClass.isRead(request.method()) ? reads : writes;
        Decision decision = store.acquire(quota.policy, account, nanoTime.getAsLong());
        long wait = decision.waitSeconds();
        Throttling.advertise(request, quota.member, Throttling.limitMember(quota.policy.name(), decision.remaining(), wait));
        if (!decision.allowed()) {
            request.note(Throttling.NOTE, quota.rejectedNote);
            return quota.rejection(wait, request.requestId());
        }
        return next.handle(request);
    }
}
