package dev.breakwater.storm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.common.Json;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the database and the sandbox processor's ledger after a run and holds them against what
 * the clients saw. Every order carries its client key in the payment's metadata
 * ({@value #ORDER_METADATA}); every charge is tied to an order through its processor key
 * ({@code bw_<idempotency record id>}) and that record's Idempotency-Key.
 */
public final class StormVerifier {
    public static final String ORDER_METADATA = "order";
    private static final long WINDOW_SECONDS = 5;

    private StormVerifier() {
    }

    public static StormReport verify(String label, DataSource dataSource, Observations observations) {
        return verify(label, dataSource, dataSource, observations);
    }

    /** The same, with the processor's ledger in a store of its own (the processor gateway's). */
    public static StormReport verify(String label, DataSource dataSource, DataSource processorLedger,
                                     Observations observations) {
        double seconds = observations.seconds();
        try (Connection c = dataSource.getConnection(); Connection ledger = processorLedger.getConnection()) {
            Map<String, String> paymentOrders = paymentOrders(c);
            Map<String, String> recordOrders = recordOrders(c);
            List<String[]> charges = charges(ledger);
            return build(label, seconds, observations, paymentOrders, recordOrders, charges);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the run's database", e);
        }
    }

    private static StormReport build(String label, double seconds, Observations observations,
                                     Map<String, String> paymentOrders, Map<String, String> recordOrders,
                                     List<String[]> charges) {
        List<Observations.Attempt> attempts = observations.attempts();
        Collection<Observations.Order> orders = observations.finishedOrders();

        Map<String, Long> paymentsPerOrder = new HashMap<>();
        paymentOrders.values().forEach(order -> paymentsPerOrder.merge(order, 1L, Long::sum));
        Map<String, Long> chargesPerOrder = new HashMap<>();
        Set<String> chargedPayments = new HashSet<>();
        long withoutPayment = 0;
        long unattributed = 0;
        for (String[] charge : charges) {
            String processorKey = charge[0];
            String paymentId = charge[1];
            String order = recordOrders.get(processorKey);
            if (order == null) {
                unattributed++;
            } else {
                chargesPerOrder.merge(order, 1L, Long::sum);
            }
            if (paymentOrders.containsKey(paymentId)) {
                chargedPayments.add(paymentId);
            } else {
                withoutPayment++;
            }
        }
        StormReport.Money money = new StormReport.Money(
                observations.startedOrders().size(),
                paymentOrders.size(), paymentsPerOrder.size(), excess(paymentsPerOrder),
                charges.size(), chargedPayments.size(), chargesPerOrder.size(), excess(chargesPerOrder),
                withoutPayment, unattributed);

        Map<Integer, Long> histogram = new TreeMap<>();
        Map<String, Long> problemTypes = new TreeMap<>();
        long tooMany = 0;
        long tooManyWithRetryAfter = 0;
        long serverErrors = 0;
        long unexpected = 0;
        for (Observations.Attempt a : attempts) {
            histogram.merge(a.status(), 1L, Long::sum);
            if (a.status() == 429) {
                tooMany++;
                tooManyWithRetryAfter += a.retryAfter() ? 1 : 0;
            }
            if (a.status() >= 400) {
                problemTypes.merge(a.status() + " " + a.problemType(), 1L, Long::sum);
            }
            if (a.status() >= 500) {
                serverErrors++;
                if (!StormReport.PROCESSOR_FAULT_TYPES.contains(a.problemType())) {
                    unexpected++;
                }
            }
        }

        long acknowledged = 0;
        long missing = 0;
        for (Observations.Order order : orders) {
            if (order.acknowledged()) {
                acknowledged++;
                if (!order.order().equals(paymentOrders.get(order.acknowledgedPaymentId()))) {
                    missing++;
                }
            }
        }
        return new StormReport(label, seconds, clientStats(observations, attempts, orders, seconds), money, histogram,
                problemTypes, tooMany, tooManyWithRetryAfter, serverErrors, unexpected, acknowledged, missing,
                timeline(observations, attempts, orders));
    }

    private static long excess(Map<String, Long> perOrder) {
        return perOrder.values().stream().mapToLong(n -> n - 1).sum();
    }

    private static List<StormReport.ClientStats> clientStats(Observations observations,
                                                             List<Observations.Attempt> attempts,
                                                             Collection<Observations.Order> orders, double seconds) {
        Set<String> unfinished = new HashSet<>(observations.unfinishedOrders());
        Map<String, String> started = observations.startedOrders();
        List<StormReport.ClientStats> stats = new ArrayList<>();
        for (String client : new TreeSet<>(started.values())) {
            long[] latencies = attempts.stream().filter(a -> a.client().equals(client))
                    .mapToLong(Observations.Attempt::latencyMillis).sorted().toArray();
            long ordersStarted = started.values().stream().filter(client::equals).count();
            long acked = orders.stream().filter(o -> o.client().equals(client) && o.acknowledged()).count();
            long gaveUp = orders.stream().filter(o -> o.client().equals(client) && !o.acknowledged()).count();
            long cutOff = started.entrySet().stream()
                    .filter(e -> e.getValue().equals(client) && unfinished.contains(e.getKey())).count();
            stats.add(new StormReport.ClientStats(client, ordersStarted, acked, gaveUp, cutOff, latencies.length,
                    seconds > 0 ? acked / seconds : 0, percentile(latencies, 50), percentile(latencies, 99),
                    latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
        }
        return stats;
    }

    private static List<StormReport.Window> timeline(Observations observations, List<Observations.Attempt> attempts,
                                                     Collection<Observations.Order> orders) {
        long start = observations.startMillis();
        Map<Long, Map<String, List<Long>>> latencies = new TreeMap<>();
        for (Observations.Attempt a : attempts) {
            long window = Math.max(0, (a.startedAtMillis() - start) / 1000 / WINDOW_SECONDS);
            latencies.computeIfAbsent(window, w -> new TreeMap<>())
                    .computeIfAbsent(a.client(), x -> new ArrayList<>()).add(a.latencyMillis());
        }
        Map<String, Long> ackedPerWindow = new HashMap<>();
        for (Observations.Order o : orders) {
            if (o.acknowledged()) {
                long window = Math.max(0, (o.finishedAtMillis() - start) / 1000 / WINDOW_SECONDS);
                ackedPerWindow.merge(window + " " + o.client(), 1L, Long::sum);
            }
        }
        List<StormReport.Window> timeline = new ArrayList<>();
        latencies.forEach((window, byClient) -> byClient.forEach((client, values) -> {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            timeline.add(new StormReport.Window(window * WINDOW_SECONDS, client, sorted.length,
                    ackedPerWindow.getOrDefault(window + " " + client, 0L), percentile(sorted, 50),
                    percentile(sorted, 99)));
        }));
        return timeline;
    }

    /** Nearest-rank percentile of sorted values; 0 for none. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** Payment id to the order (client key) in its metadata. */
    private static Map<String, String> paymentOrders(Connection c) throws SQLException {
        Map<String, String> orders = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, metadata FROM payments");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                orders.put(rs.getString(1), orderOf(rs.getString(2)));
            }
        }
        return orders;
    }

    private static String orderOf(String metadata) {
        try {
            JsonNode order = Json.parse(metadata.getBytes(StandardCharsets.UTF_8)).get(ORDER_METADATA);
            return order == null ? "(no order)" : order.asText();
        } catch (IOException e) {
            return "(unreadable metadata)";
        }
    }

    /** Processor key ({@code bw_<record id>}) to the order (client key) of that idempotency record. */
    private static Map<String, String> recordOrders(Connection c) throws SQLException {
        Map<String, String> orders = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, idempotency_key FROM idempotency_keys");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                orders.put("bw_" + rs.getString(1), WithoutGuards.clientKey(rs.getString(2)));
            }
        }
        return orders;
    }

    /** Approved charges and authorizations at the sandbox processor: {processor key, payment id}. */
    private static List<String[]> charges(Connection c) throws SQLException {
        List<String[]> charges = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT processor_key, reference FROM sandbox_operations "
                + "WHERE operation IN ('charge', 'authorize') AND outcome = 'approved'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                charges.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return charges;
    }
}
