package dev.breakwater.load;

import dev.breakwater.common.Json;
import dev.breakwater.storm.StormReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Puts the before and after reports of each scenario side by side in
 * {@code target/storm/retry-storm-table.md}, from whichever of {@code storm-before.json},
 * {@code storm-after.json}, {@code mixed-before.json} and {@code mixed-after.json} exist.
 * Rewritten after every run, so the table always shows the latest figures.
 */
final class StormComparison {
    static final String FILE = "retry-storm-table.md";

    private StormComparison() {
    }

    static void write(Path dir) {
        Map<String, StormReport> reports = new LinkedHashMap<>();
        for (String name : List.of("storm-before", "storm-after", "mixed-before", "mixed-after")) {
            Path file = dir.resolve(name + ".json");
            if (Files.exists(file)) {
                try {
                    reports.put(name, Json.MAPPER.readValue(file.toFile(), StormReport.class));
                } catch (IOException e) {
                    throw new UncheckedIOException("unreadable report " + file, e);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String scenario : List.of("storm", "mixed")) {
            StormReport before = reports.get(scenario + "-before");
            StormReport after = reports.get(scenario + "-after");
            if (before != null || after != null) {
                out.append(table(scenario, before, after)).append('\n');
            }
        }
        try {
            Files.writeString(dir.resolve(FILE), out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String table(String scenario, StormReport before, StormReport after) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("run length (s)", r -> String.format(Locale.ROOT, "%.0f", r.seconds())));
        rows.add(new Row("orders sent (distinct Idempotency-Keys)", r -> n(r.money().ordersSent())));
        rows.add(new Row("payments created / orders with a payment", r -> r.money().payments() + " / " + r.money().ordersWithPayment()));
        rows.add(new Row("**duplicate payments**", r -> "**" + r.money().duplicatePayments() + "**"));
        rows.add(new Row("processor charges / orders charged", r -> r.money().charges() + " / " + r.money().chargedOrders()));
        rows.add(new Row("**duplicate charges**", r -> "**" + r.money().duplicateCharges() + "**"));
        rows.add(new Row("charges with no payment row", r -> n(r.money().chargesWithoutPayment())));
        rows.add(new Row("acknowledged orders missing from the DB", r -> n(r.acknowledgedMissing())));
        rows.add(new Row("status codes", r -> r.statusHistogram().entrySet().stream()
                .map(e -> (e.getKey() == 0 ? "timeout" : e.getKey().toString()) + ": " + e.getValue())
                .collect(Collectors.joining(", "))));
        rows.add(new Row("429 with Retry-After", r -> r.tooManyRequestsWithRetryAfter() + " / " + r.tooManyRequests()));
        rows.add(new Row("429 quota-exceeded / concurrency-limit-exceeded", r ->
                r.problemTypes().getOrDefault("429 /problems/quota-exceeded", 0L) + " / "
                        + r.problemTypes().getOrDefault("429 /problems/concurrency-limit-exceeded", 0L)));
        rows.add(new Row("5xx (all documented processor faults?)", r -> r.serverErrors()
                + (r.unexpectedServerErrors() == 0 ? " (yes)" : " (" + r.unexpectedServerErrors() + " not)")));
        for (String client : List.of("storm", "polite")) {
            if (has(before, client) || has(after, client)) {
                rows.add(new Row(client + " account: orders acknowledged / started (attempts)", r -> has(r, client)
                        ? r.client(client).ordersAcknowledged() + " / " + r.client(client).ordersStarted()
                        + " (" + r.client(client).attempts() + ")" : "-"));
                rows.add(new Row(client + " account: p50 / p99 ms", r -> has(r, client)
                        ? r.client(client).p50Millis() + " / " + r.client(client).p99Millis() : "-"));
                rows.add(new Row(client + " account: acknowledged orders/s", r -> has(r, client)
                        ? String.format(Locale.ROOT, "%.1f", r.client(client).acknowledgedPerSecond()) : "-"));
            }
        }
        rows.add(new Row("invariants", r -> r.violations().isEmpty() ? "hold" : "**broken**"));

        StringBuilder out = new StringBuilder();
        out.append("### ").append(scenario).append("\n\n| | before (no guards) | after (real server) |\n|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.name()).append(" | ").append(before == null ? "(not run)" : row.value().apply(before))
                    .append(" | ").append(after == null ? "(not run)" : row.value().apply(after)).append(" |\n");
        }
        return out.toString();
    }

    private static boolean has(StormReport report, String client) {
        return report != null && report.clients().stream().anyMatch(c -> c.client().equals(client));
    }

    private static String n(long value) {
        return Long.toString(value);
    }

    private record Row(String name, Function<StormReport, String> value) {
    }
}
