package dev.breakwater.observability;

import dev.breakwater.versions.ApiVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.breakwater.http.ratelimit.RateLimitConfig;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The request meters. Every label has a bounded set of values (route templates, not paths;
 * known methods; policy names), so a client cannot blow up the series count.
 */
final class HttpMetrics {
    static final String REQUESTS = "breakwater.http.server.requests";
    static final String IN_FLIGHT = "breakwater.http.server.in.flight.requests";
    static final String IDEMPOTENCY = "breakwater.idempotency.decisions";
    static final String THROTTLED = "breakwater.ratelimit.rejections";
    static final String SHED = "breakwater.load.shed";
    /** Every value the {@code policy} label of {@link #THROTTLED} can take. */
    static final List<String> THROTTLING_POLICIES = List.of(RateLimitConfig.WRITES, RateLimitConfig.READS,
            RateLimitConfig.AUTH_FAILURES, CompletedRequest.CONCURRENCY_POLICY);
    /** Every value the {@code outcome} label of {@link #IDEMPOTENCY} can take. */
    static final List<String> IDEMPOTENCY_OUTCOMES = List.of("new", "resumed", "replayed", "conflict", "mismatch");
    static final String API_REQUESTS = "breakwater.api.requests";

    /** Fixed buckets (not Micrometer's ~70 percentile buckets): enough for p50/p99 per route, cheap to scrape. */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2).plusNanos(500_000), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private final Meter.MeterProvider<Timer> requests;
    private final Meter.MeterProvider<Counter> idempotency;
    private final Meter.MeterProvider<Counter> throttled;
    private final Counter shed;
    private final Meter.MeterProvider<Counter> apiRequests;

    HttpMetrics(MeterRegistry registry) {
        requests = Timer.builder(REQUESTS)
                .description("Finished HTTP requests by route template, method and status; latency from first byte read to response written")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .withRegistry(registry);
        idempotency = Counter.builder(IDEMPOTENCY)
                .description("Idempotent POSTs by decision: new, resumed (retry after a failure), replayed, conflict (in flight), mismatch")
                .withRegistry(registry);
        throttled = Counter.builder(THROTTLED)
                .description("429 responses by rate-limit policy ('concurrency' for the concurrent-requests limiter)")
                .withRegistry(registry);
        shed = Counter.builder(SHED)
                .description("503 temporary-reduced-capacity responses from the load shedder")
                .register(registry);
        THROTTLING_POLICIES.forEach(policy -> throttled.withTags("policy", policy));
        apiRequests = Counter.builder(API_REQUESTS)
                .description("Authenticated API requests by version and account: who still calls a deprecated version")
                .withRegistry(registry);
    }

    /**
     * Creates the idempotency counters of these routes at 0, as the constructor does for the
     * throttling ones: a first scrape then tells "none yet" from "metric missing", and a rate()
     * over a counter's first increment is not lost to its series appearing only then.
     */
    void expectIdempotentRoutes(Collection<String> routes) {
        for (String route : routes) {
            IDEMPOTENCY_OUTCOMES.forEach(outcome -> idempotency.withTags("route", route, "outcome", outcome));
        }
    }

    /** The per-version counter of each known account at 0, for the same reason as the idempotency ones. */
    void expectAccounts(Collection<String> accounts) {
        for (String account : accounts) {
            for (ApiVersion version : ApiVersion.values()) {
                apiRequests.withTags("version", version.label(), "account", account);
            }
        }
    }

    void record(CompletedRequest request) {
        requests.withTags(Tags.of("method", request.method(), "route", request.route(),
                        "status", Integer.toString(request.status()), "status_class", request.statusClass()))
                .record(request.latencyNanos(), TimeUnit.NANOSECONDS);
        if (request.idempotency() != null) {
            idempotency.withTags("route", request.route(), "outcome", request.idempotency()).increment();
        }
        String policy = request.throttledBy();
        if (policy != null) {
            throttled.withTags("policy", policy).increment();
        }
        if (request.shed()) {
            shed.increment();
        }
        // Accounts are a bounded set (only authenticated ids get here), so the label cannot be inflated by clients.
        if (request.account() != null) {
            ApiVersion.of(request.route()).ifPresent(version ->
                    apiRequests.withTags("version", version.label(), "account", request.account()).increment());
        }
    }
}
