package dev.breakwater.http.ratelimit;

import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

/**
 * At most N requests in flight per account. A request rate limit cannot stop a retry storm
 * against a slow path (each retry is within quota, but they pile up while the processor is
 * slow); this can: the account's extra requests get 429 {@code concurrency-limit-exceeded} at
 * once instead of queueing for database connections other accounts need. The
 * {@code "concurrency"} policy ({@code qu="concurrent-requests"}) is advertised on that 429.
 */
public final class ConcurrencyLimiter implements Filter {
    static final String POLICY = "concurrency";
    private static final long RETRY_AFTER_SECONDS = 1;

    private final ConcurrencyStore store;
    private final int limit;
    private final String policyMember;
    private final String rejectedLimitMember;

    public ConcurrencyLimiter(ConcurrencyStore store, int maxInFlightPerAccount) {
        this.store = store;
        this.limit = maxInFlightPerAccount;
        this.policyMember = '"' + POLICY + "\";q=" + maxInFlightPerAccount + ';' + Throttling.CONCURRENT_REQUESTS;
        this.rejectedLimitMember = Throttling.limitMember(POLICY, 0, RETRY_AFTER_SECONDS);
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        String account = request.accountId();
        if (account == null) {
            throw new IllegalStateException("ConcurrencyLimiter must run after authentication");
        }
        ConcurrencyStore.Permit permit = store.tryAcquire(account, limit);
        if (permit == null) {
            request.note(Throttling.NOTE, Throttling.CONCURRENCY);
            Throttling.advertise(request, policyMember, rejectedLimitMember);
            throw Throttling.concurrencyExceeded(POLICY, limit, RETRY_AFTER_SECONDS);
        }
        try {
            return next.handle(request);
        } finally {
            permit.release();
        }
    }
}
