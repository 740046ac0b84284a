package dev.breakwater.http.ratelimit;

import dev.breakwater.http.TrafficClass;
import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.util.function.LongSupplier;

/**
 * The request-rate limiter per account, after authentication and before anything touches the
 * database: GET and HEAD draw on the {@code reads} policy, every other method on {@code writes}.
 * Every response it lets through, and every later failure, carries that policy's
 * {@code RateLimit-Policy} and {@code RateLimit}; a request over quota gets 429
 * {@code quota-exceeded} with {@code Retry-After} equal to the {@code t} of {@code RateLimit}.
 */
public final class AccountRateLimiter implements Filter {
    private final RateLimitStore store;
    private final Quota writes;
    private final Quota reads;
    private final LongSupplier nanoTime;

    /** A policy with the strings it needs on every request, built once. */
    private record Quota(RatePolicy policy, String member, String rejectedNote) {
        Quota(RatePolicy policy) {
            this(policy, policy.headerMember(), "rejected:" + policy.name());
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
        Decision decision = store.acquire(quota.policy(), account, nanoTime.getAsLong());
        long wait = decision.waitSeconds();
        Throttling.advertise(request, quota.member(), Throttling.limitMember(quota.policy().name(), decision.remaining(), wait));
        if (!decision.allowed()) {
            request.note(Throttling.NOTE, quota.rejectedNote());
            throw Throttling.quotaExceeded(quota.policy(), wait);
        }
        return next.handle(request);
    }
}
