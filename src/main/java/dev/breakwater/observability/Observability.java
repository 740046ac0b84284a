package dev.breakwater.observability;

import dev.breakwater.http.Filter;
import dev.breakwater.http.HttpApi;
import dev.breakwater.http.Request;
import dev.breakwater.http.Router;
import dev.breakwater.http.Response;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.store.Database;
import dev.breakwater.versions.Lifecycle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * Everything the composition root needs for observability, built once per server: the meter
 * registry (one per server, never the global one, so tests on one JVM do not share counts), the
 * first filter, the request observer, the processor decorator and the ops handlers.
 */
public final class Observability implements AutoCloseable {
    static final String DB_ACTIVE = "breakwater.db.pool.active.connections";
    static final String DB_MAX = "breakwater.db.pool.max.connections";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private final OpsAccess access;
    private final HttpMetrics httpMetrics;
    private final FlightRecorderEvents events = new FlightRecorderEvents();
    private final InFlightRequests inFlight = new InFlightRequests(events);
    private final AccessLog accessLog;
    private final DashboardHistory history;
    private final Dashboard dashboard;

    private Observability(ObservabilityConfig config, Lifecycle v1Lifecycle, Database database, Clock clock,
                          PrintStream console) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.clock = clock;
        this.access = new OpsAccess(config.metricsAllow());
        this.httpMetrics = new HttpMetrics(registry);
        this.accessLog = config.accessLog() ? AccessLog.start(console) : null;
        if (accessLog != null) {
            FunctionCounter.builder(AccessLog.DROPPED, accessLog, AccessLog::dropped)
                    .description("Access log lines dropped because the queue to the console was full")
                    .register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder(HttpMetrics.IN_FLIGHT, inFlight, InFlightRequests::current)
                .description("Requests inside the filter pipeline right now")
                .strongReference(true)
                .register(registry);
        Gauge.builder(DB_ACTIVE, database, Database::activeConnections)
                .description("Database connections checked out of the pool")
                .strongReference(true)
                .register(registry);
        Gauge.builder(DB_MAX, database, Database::maxConnections)
                .description("Size of the database connection pool")
                .strongReference(true)
                .register(registry);
        this.history = new DashboardHistory(registry, clock, inFlight::current, database::activeConnections,
                database::maxConnections);
        this.dashboard = new Dashboard(history, v1Lifecycle);
    }

    /** {@code v1Lifecycle} (null when v1 is not deprecated) gives the dashboard v1's sunset date. */
    public static Observability create(ObservabilityConfig config, Lifecycle v1Lifecycle, Database database, Clock clock,
                                       PrintStream console) {
        return new Observability(config, v1Lifecycle, database, clock, console);
    }

    /** Goes first in the filter list: counts in-flight requests and begins each request's JFR event. */
    public Filter inFlightFilter() {
        return inFlight;
    }

    /**
     * Metrics, JFR events, the access log line and a dashboard sample for each finished request.
     * A request that a filter answered before its handler (401, 415, 429...) is still labelled with
     * its route template, which the router's resolver recorded first; only 404/405 are {@code unmatched}.
     * The router's POST routes (every one is idempotency-keyed) get their decision counters at 0.
     */
    /** Creates the per-version request counters of these accounts at 0 (they can tell "none yet" from "missing"). */
    public void expectAccounts(java.util.Collection<String> accounts) {
        httpMetrics.expectAccounts(accounts);
    }

    public HttpApi.RequestObserver requestObserver(Router router) {
        httpMetrics.expectIdempotentRoutes(router.operations().stream()
                .filter(operation -> operation.startsWith("POST "))
                .map(operation -> operation.substring("POST ".length()))
                .toList());
        return (request, response) -> {
            String route = request.routeTemplate() == null ? CompletedRequest.UNMATCHED : request.routeTemplate();
            CompletedRequest done = CompletedRequest.of(request, response, route, clock.instant(), System.nanoTime());
            events.complete(done);
            httpMetrics.record(done);
            if (accessLog != null) {
                accessLog.write(done);
            }
            history.maybeSample();
        };
    }

    /**
     * Writes the access log's queued lines and stops its writer. Call it once no request can
     * finish any more (after the server has stopped and its executor terminated): a request
     * queues its line after its response is written, and a line queued after this is dropped.
     */
    @Override
    public void close() {
        if (accessLog != null) {
            accessLog.close();
        }
    }

    /** The processor port with metrics and JFR, labelled by how it is reached (sandbox, http, grpc). */
    public PaymentProcessor observe(PaymentProcessor processor, String transport) {
        return new ObservedProcessor(processor, registry, transport);
    }

    /** GET /metrics: the Prometheus text exposition format. */
    public Response metrics(Request request) {
        access.check(request);
        return new Response(200, Map.of("Content-Type", PROMETHEUS_TEXT, "Cache-Control", "no-store"),
                registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    /** GET /dashboard: the built-in live dashboard page. */
    public Response dashboard(Request request) {
        access.check(request);
        return dashboard.page(request);
    }

    /** GET /dashboard/data: the dashboard's time series as JSON. */
    public Response dashboardData(Request request) {
        access.check(request);
        return dashboard.data(request);
    }

    /** GET /dashboard/assets/{name}: the page's script, stylesheet and Chart.js. */
    public Response dashboardAsset(Request request) {
        access.check(request);
        return dashboard.asset(request);
    }
}
