package dev.breakwater.storm;

import dev.breakwater.common.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one retry-storm run did, as the verifier found it: the client's view (orders, status
 * codes, latency over time) next to the database's and the sandbox processor's (payments,
 * charges). {@link #violations()} lists every broken invariant; an empty list means the run held.
 */
public record StormReport(
        String label,
        double seconds,
        List<ClientStats> clients,
        Money money,
        Map<Integer, Long> statusHistogram,
        Map<String, Long> problemTypes,
        long tooManyRequests,
        long tooManyRequestsWithRetryAfter,
        long serverErrors,
        long unexpectedServerErrors,
        long acknowledgedOrders,
        long acknowledgedMissing,
        List<Window> timeline) {

    /** The problem types a 5xx may carry: the documented answers to processor faults. */
    public static final List<String> PROCESSOR_FAULT_TYPES = List.of(
            "/problems/processor-error", "/problems/processor-unavailable", "/problems/processor-timeout");

    /** One client (account) over the whole run. Latency is per attempt; throughput is acknowledged orders per second. */
    public record ClientStats(String client, long ordersStarted, long ordersAcknowledged, long ordersGivenUp,
                              long ordersUnfinished, long attempts, double acknowledgedPerSecond,
                              long p50Millis, long p99Millis, long maxMillis) {
    }

    /**
     * The database's and the processor's side. A duplicate payment is a second payment row for
     * one order (one client Idempotency-Key); a duplicate charge is a second approved charge at
     * the processor for one order.
     */
    public record Money(long ordersSent, long payments, long ordersWithPayment, long duplicatePayments,
                        long charges, long chargedPayments, long chargedOrders, long duplicateCharges,
                        long chargesWithoutPayment, long unattributedCharges) {
    }

    /** One slice of the run for one client: attempts that started in it, their latency, orders acknowledged in it. */
    public record Window(long fromSecond, String client, long attempts, long acknowledged, long p50Millis,
                         long p99Millis) {
    }

    public List<String> violations() {
        List<String> broken = new ArrayList<>();
        if (money.duplicatePayments() > 0) {
            broken.add(money.duplicatePayments() + " duplicate payment(s): " + money.payments() + " payments for "
                    + money.ordersWithPayment() + " orders");
        }
        if (money.duplicateCharges() > 0) {
            broken.add(money.duplicateCharges() + " duplicate charge(s): " + money.charges() + " charges for "
                    + money.chargedOrders() + " orders");
        }
        if (money.charges() != money.chargedPayments() + money.chargesWithoutPayment()) {
            broken.add("a payment was charged more than once: " + money.charges() + " charges, "
                    + money.chargedPayments() + " payments charged");
        }
        if (money.unattributedCharges() > 0) {
            broken.add(money.unattributedCharges() + " charge(s) that no idempotency record explains");
        }
        if (tooManyRequestsWithRetryAfter != tooManyRequests) {
            broken.add((tooManyRequests - tooManyRequestsWithRetryAfter) + " of " + tooManyRequests
                    + " 429 responses had no Retry-After");
        }
        if (unexpectedServerErrors > 0) {
            broken.add(unexpectedServerErrors + " 5xx response(s) that are not documented processor faults: "
                    + problemTypes);
        }
        if (acknowledgedMissing > 0) {
            broken.add(acknowledgedMissing + " acknowledged payment(s) missing from the database");
        }
        return broken;
    }

    public ClientStats client(String name) {
        return clients.stream().filter(c -> c.client().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no client " + name + " in " + label));
    }

    /** Writes {@link #toMarkdown()} and the report as JSON to {@code dir/name.md} and {@code dir/name.json}. */
    public void writeTo(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".md"), toMarkdown());
            Files.write(dir.resolve(name + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the storm report to " + dir, e);
        }
    }

    /** A human-readable summary, for the console and for target/storm/*.md. */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(label).append(String.format(Locale.ROOT, " (%.1f s)%n%n", seconds));
        out.append("| client | orders | acknowledged | gave up | cut off | attempts | acked/s | p50 ms | p99 ms | max ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ClientStats c : clients) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f | %d | %d | %d |%n", c.client(),
                    c.ordersStarted(), c.ordersAcknowledged(), c.ordersGivenUp(), c.ordersUnfinished(), c.attempts(),
                    c.acknowledgedPerSecond(), c.p50Millis(), c.p99Millis(), c.maxMillis()));
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT,
                "- orders sent %d; payments %d for %d orders: **%d duplicate payments**%n", money.ordersSent(),
                money.payments(), money.ordersWithPayment(), money.duplicatePayments()));
        out.append(String.format(Locale.ROOT,
                "- processor charges %d for %d payments / %d orders: **%d duplicate charges**; %d charges with no payment row;"
                        + " %d unattributed%n",
                money.charges(), money.chargedPayments(), money.chargedOrders(), money.duplicateCharges(),
                money.chargesWithoutPayment(), money.unattributedCharges()));
        out.append("- status codes: ").append(statusHistogram.entrySet().stream()
                .map(e -> (e.getKey() == RetryPolicy.Outcome.NO_ANSWER ? "no answer" : e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(", "))).append('\n');
        out.append(String.format(Locale.ROOT, "- 429: %d, with Retry-After: %d%n", tooManyRequests,
                tooManyRequestsWithRetryAfter));
        out.append(String.format(Locale.ROOT, "- 5xx: %d, not a documented processor fault: %d%n", serverErrors,
                unexpectedServerErrors));
        out.append("- problem types: ").append(problemTypes).append('\n');
        out.append(String.format(Locale.ROOT, "- acknowledged orders %d, missing from the database: %d%n",
                acknowledgedOrders, acknowledgedMissing));
        List<String> broken = violations();
        out.append("- invariants: ").append(broken.isEmpty() ? "all hold" : "BROKEN: " + String.join("; ", broken))
                .append("\n\n");
        out.append("| from s | client | attempts | acknowledged | p50 ms | p99 ms |\n|---:|---|---:|---:|---:|---:|\n");
        for (Window w : timeline) {
            out.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %d | %d |%n", w.fromSecond(), w.client(),
                    w.attempts(), w.acknowledged(), w.p50Millis(), w.p99Millis()));
        }
        return out.toString();
    }
}
