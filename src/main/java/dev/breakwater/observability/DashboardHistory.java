package dev.breakwater.observability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.common.Json;
import dev.breakwater.versions.ApiVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The last 15 minutes of the key counters, sampled from the meter registry every 2 s, so that
 * {@code /dashboard} shows history the moment it opens, without a Prometheus. Samples are taken
 * lazily by finished requests and by the dashboard's own polls (no background thread to stop);
 * rates and quantiles are computed over a 10 s window, the way PromQL's rate() and
 * histogram_quantile() would. Requests per version and account (who still calls a deprecated
 * version) are counted over the whole history instead: a migration is followed in minutes, not seconds.
 */
final class DashboardHistory {
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);
    static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    static final int KEEP = 450;
    /** Floor for the storm ratio's denominator, the same as the alert rule's clamp_min. */
    static final double MIN_NEW_RATE = 0.1;

    private final MeterRegistry registry;
    private final Clock clock;
    private final IntSupplier inFlight;
    private final IntSupplier dbActive;
    private final IntSupplier dbMax;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final long startedMillis;
    /** Whether samples were dropped: until then the history reaches back to the start, where every count was 0. */
    private boolean trimmed;
    private volatile long lastSampleNanos;

    DashboardHistory(MeterRegistry registry, Clock clock, IntSupplier inFlight, IntSupplier dbActive, IntSupplier dbMax) {
        this.registry = registry;
        this.clock = clock;
        this.inFlight = inFlight;
        this.dbActive = dbActive;
        this.dbMax = dbMax;
        this.startedMillis = clock.millis();
        this.lastSampleNanos = System.nanoTime() - SAMPLE_EVERY.toNanos();
    }

    /**
     * Cumulative counts at one instant; {@code routes} holds each route's latency histogram and
     * {@code calls} each account's requests by version label.
     */
    record Sample(long nanos, long epochMillis, Map<String, Double> counts, Map<String, Histogram> routes,
                  Map<String, Map<String, Double>> calls, int inFlight, int dbActive, int dbMax) {
    }

    /** Cumulative counts per bucket upper bound (seconds), plus the total (the +Inf bucket). */
    record Histogram(double[] bounds, double[] cumulative, double total) {
        Histogram minus(Histogram earlier) {
            if (earlier == null || earlier.bounds.length != bounds.length) {
                return this;
            }
            double[] delta = new double[cumulative.length];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = cumulative[i] - earlier.cumulative[i];
            }
            return new Histogram(bounds, delta, total - earlier.total);
        }

        /** Prometheus' histogram_quantile: linear interpolation inside the bucket holding the rank. */
        Double quantile(double q) {
            if (total <= 0) {
                return null;
            }
            double rank = q * total;
            for (int i = 0; i < bounds.length; i++) {
                if (cumulative[i] >= rank) {
                    double lower = i == 0 ? 0 : bounds[i - 1];
                    double below = i == 0 ? 0 : cumulative[i - 1];
                    double inBucket = cumulative[i] - below;
                    return inBucket <= 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / inBucket;
                }
            }
            return bounds.length == 0 ? null : bounds[bounds.length - 1];
        }
    }

    /** Takes a sample if the last one is older than {@link #SAMPLE_EVERY}; never waits for another sampler. */
    void maybeSample() {
        long now = System.nanoTime();
        if (now - lastSampleNanos < SAMPLE_EVERY.toNanos() || !lock.tryLock()) {
            return;
        }
        try {
            if (now - lastSampleNanos < SAMPLE_EVERY.toNanos()) {
                return;
            }
            samples.addLast(sample(now));
            lastSampleNanos = now;
            while (samples.size() > KEEP) {
                samples.removeFirst();
                trimmed = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private Sample sample(long nanos) {
        Map<String, Double> counts = new TreeMap<>();
        Map<String, Histogram> routes = new TreeMap<>();
        for (Timer timer : registry.find(HttpMetrics.REQUESTS).timers()) {
            if (!isApi(timer.getId().getTag("route"))) {
                continue;
            }
            HistogramSnapshot snapshot = timer.takeSnapshot();
            counts.merge("status:" + timer.getId().getTag("status"), (double) snapshot.count(), Double::sum);
            routes.merge(timer.getId().getTag("route"), histogram(snapshot), DashboardHistory::add);
        }
        for (Counter counter : registry.find(HttpMetrics.IDEMPOTENCY).counters()) {
            counts.merge("idempotency:" + counter.getId().getTag("outcome"), counter.count(), Double::sum);
        }
        for (Counter counter : registry.find(HttpMetrics.THROTTLED).counters()) {
            counts.merge("throttled:" + counter.getId().getTag("policy"), counter.count(), Double::sum);
        }
        for (Counter counter : registry.find(HttpMetrics.SHED).counters()) {
            counts.merge("shed", counter.count(), Double::sum);
        }
        for (Timer timer : registry.find(ObservedProcessor.CALLS).timers()) {
            counts.merge("processor:" + timer.getId().getTag("outcome"), (double) timer.count(), Double::sum);
        }
        // The same counter /metrics exposes as breakwater_api_requests_total: one count, read two ways.
        Map<String, Map<String, Double>> calls = new TreeMap<>();
        for (Counter counter : registry.find(HttpMetrics.API_REQUESTS).counters()) {
            calls.computeIfAbsent(counter.getId().getTag("account"), account -> new TreeMap<>())
                    .merge(counter.getId().getTag("version"), counter.count(), Double::sum);
        }
        return new Sample(nanos, clock.millis(), counts, routes, calls, inFlight.getAsInt(), dbActive.getAsInt(),
                dbMax.getAsInt());
    }

    /** API traffic only: the dashboard's own polls, scrapes and health checks would only add noise. */
    static boolean isApi(String route) {
        return route != null && (route.startsWith("/v1/") || route.equals(CompletedRequest.UNMATCHED));
    }

    private static Histogram histogram(HistogramSnapshot snapshot) {
        CountAtBucket[] buckets = snapshot.histogramCounts();
        double[] bounds = new double[buckets.length];
        double[] cumulative = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = buckets[i].bucket(TimeUnit.SECONDS);
            cumulative[i] = buckets[i].count();
        }
        return new Histogram(bounds, cumulative, snapshot.count());
    }

    private static Histogram add(Histogram a, Histogram b) {
        double[] sum = new double[a.cumulative.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = a.cumulative[i] + b.cumulative[i];
        }
        return new Histogram(a.bounds, sum, a.total + b.total);
    }

    /** The points newer than {@code sinceMillis} (rates per second over the window) and the current totals. */
    ObjectNode toJson(long sinceMillis) {
        List<Sample> copy;
        boolean reachesStart;
        lock.lock();
        try {
            copy = new ArrayList<>(samples);
            reachesStart = !trimmed;
        } finally {
            lock.unlock();
        }
        ObjectNode out = Json.object();
        out.put("sample_seconds", SAMPLE_EVERY.toSeconds());
        out.put("window_seconds", RATE_WINDOW.toSeconds());
        ArrayNode points = out.putArray("points");
        for (int i = 1; i < copy.size(); i++) {
            Sample current = copy.get(i);
            if (current.epochMillis() > sinceMillis) {
                points.add(point(current, baseline(copy, i)));
            }
        }
        ObjectNode totals = out.putObject("totals");
        if (!copy.isEmpty()) {
            Sample last = copy.get(copy.size() - 1);
            last.counts().forEach((key, value) -> totals.put(key, Math.round(value)));
            out.put("in_flight", last.inFlight());
            out.put("db_active", last.dbActive());
            out.put("db_max", last.dbMax());
        }
        out.set("api_versions", apiVersions(copy, reachesStart));
        return out;
    }

    /**
     * Each account's requests per version over the history ({@code recent}, since {@code since})
     * and since the start ({@code total}), accounts still calling v1 first.
     */
    private ObjectNode apiVersions(List<Sample> copy, boolean reachesStart) {
        ObjectNode out = Json.object();
        Sample last = copy.isEmpty() ? null : copy.get(copy.size() - 1);
        Sample first = reachesStart || copy.isEmpty() ? null : copy.get(0);
        out.put("since", first == null ? startedMillis : first.epochMillis());
        List<ObjectNode> accounts = new ArrayList<>();
        if (last != null) {
            last.calls().forEach((account, byVersion) -> {
                Map<String, Double> before = first == null ? Map.of() : first.calls().getOrDefault(account, Map.of());
                ObjectNode row = Json.object();
                row.put("account", account);
                ObjectNode recent = row.putObject("recent");
                ObjectNode total = row.putObject("total");
                for (ApiVersion version : ApiVersion.values()) {
                    double now = byVersion.getOrDefault(version.label(), 0.0);
                    recent.put(version.label(), Math.round(Math.max(0, now - before.getOrDefault(version.label(), 0.0))));
                    total.put(version.label(), Math.round(now));
                }
                accounts.add(row);
            });
        }
        String v1 = ApiVersion.V1.label();
        accounts.sort(Comparator.<ObjectNode>comparingLong(row -> -row.path("recent").path(v1).asLong())
                .thenComparingLong(row -> -row.path("total").path(v1).asLong())
                .thenComparing(row -> row.path("account").asText()));
        out.putArray("accounts").addAll(accounts);
        return out;
    }

    /** The oldest sample within the rate window before sample {@code i}, or simply the previous one. */
    private static Sample baseline(List<Sample> samples, int i) {
        Sample current = samples.get(i);
        for (int j = 0; j < i; j++) {
            if (current.nanos() - samples.get(j).nanos() <= RATE_WINDOW.toNanos()) {
                return samples.get(j);
            }
        }
        return samples.get(i - 1);
    }

    private static ObjectNode point(Sample now, Sample before) {
        double seconds = Math.max((now.nanos() - before.nanos()) / 1e9, 1e-3);
        ObjectNode point = Json.object();
        point.put("t", now.epochMillis());
        ObjectNode status = point.putObject("status");
        ObjectNode throttled = point.putObject("throttled");
        ObjectNode idempotency = point.putObject("idempotency");
        ObjectNode processor = point.putObject("processor");
        double shed = 0;
        for (Map.Entry<String, Double> entry : now.counts().entrySet()) {
            double rate = Math.max(0, entry.getValue() - before.counts().getOrDefault(entry.getKey(), 0.0)) / seconds;
            String key = entry.getKey();
            int colon = key.indexOf(':');
            String group = colon < 0 ? key : key.substring(0, colon);
            String name = colon < 0 ? key : key.substring(colon + 1);
            switch (group) {
                case "status" -> status.put(name, round(rate));
                case "throttled" -> throttled.put(name, round(rate));
                case "idempotency" -> idempotency.put(name, round(rate));
                case "processor" -> processor.put(name, round(rate));
                case "shed" -> shed = rate;
                default -> { }
            }
        }
        point.put("shed", round(shed));
        ObjectNode p50 = point.putObject("p50_ms");
        ObjectNode p99 = point.putObject("p99_ms");
        now.routes().forEach((route, histogram) -> {
            Histogram window = histogram.minus(before.routes().get(route));
            Double median = window.quantile(0.5);
            Double tail = window.quantile(0.99);
            if (median != null && tail != null) {
                p50.put(route, round(median * 1000));
                p99.put(route, round(tail * 1000));
            }
        });
        double retried = idempotency.path("replayed").asDouble() + idempotency.path("resumed").asDouble()
                + idempotency.path("conflict").asDouble() + sum(throttled) + shed;
        point.put("retry_rate", round(retried));
        point.put("storm_ratio", round(retried / Math.max(idempotency.path("new").asDouble(), MIN_NEW_RATE)));
        point.put("in_flight", now.inFlight());
        point.put("db_active", now.dbActive());
        point.put("db_max", now.dbMax());
        return point;
    }

    private static double sum(ObjectNode node) {
        double total = 0;
        for (var value : node) {
            total += value.asDouble();
        }
        return total;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
