package dev.breakwater.gateway;

import dev.breakwater.AppConfig;
import dev.breakwater.storm.Observations;
import dev.breakwater.storm.StormClient;
import dev.breakwater.storm.StormCrowds;
import dev.breakwater.storm.StormReport;
import dev.breakwater.storm.StormVerifier;
import dev.breakwater.store.Database;
import dev.breakwater.support.Ledger;
import dev.breakwater.support.TcpForwarder;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounded retry storm of {@code storm/RetryStormTest} (same clients, same verifier), with
 * the processor behind the edge as a gateway process reached over gRPC, faulty as the sandbox
 * is there, and killed with -9 mid-run and started again on its ledger. Over about 14 s the
 * edge must make no duplicate payment and the gateway no duplicate charge, and every payment
 * the edge holds as charged must still be charged in the gateway's ledger after the kill.
 */
class GatewayStormTest {
    /** The sandbox's faults, set as an operator sets them, on the gateway this time. */
    private static final Map<String, String> GATEWAY_FAULTS = Map.of(
            "BREAKWATER_SANDBOX_ERROR_RATE", "0.2",
            "BREAKWATER_SANDBOX_TIMEOUT_RATE", "0.05",
            "BREAKWATER_SANDBOX_LATENCY_MS", "100",
            "BREAKWATER_GATEWAY_HANG_MS", "700");
    private static final Map<String, String> EDGE_ENV = Map.of(
            "BREAKWATER_PROCESSOR_TIMEOUT_MS", "500",
            "BREAKWATER_RATELIMIT_WRITES_QUOTA", "20",
            "BREAKWATER_RATELIMIT_WRITES_WINDOW_SECONDS", "1");
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(700);
    private static final Duration RUN = Duration.ofSeconds(14);
    private static final Duration KILL_AT = Duration.ofSeconds(4);
    private static final Duration DOWN_FOR = Duration.ofSeconds(2);
    private static final int STORM_CLIENTS = 6;
    private static final int POLITE_CLIENTS = 2;
    private static final Path REPORTS = Path.of("target", "storm");

    @Test
    void gatewayKilledWithMinus9MidStormLeavesNoDuplicatePaymentOrCharge() throws Exception {
        StormReport report;
        long chargedAtEdge;
        long chargedAtEdgeButUnknownToGateway;
        Path ledgerDir = Files.createTempDirectory("breakwater-gateway-storm");
        GatewayProcess gateway = GatewayProcess.start(ledgerDir, GATEWAY_FAULTS, REPORTS.resolve("GatewayStormTest-gateway-1.log"));
        try {
            try (TcpForwarder balancer = new TcpForwarder(gateway.grpcPort());
                 TestApi edge = TestApi.start(c -> edgeConfig(c)
                         .withProcessor(URI.create("grpc://127.0.0.1:" + balancer.port() + "/"),
                                 Duration.ofMillis(500), c.sandboxFaults()))) {
                Observations observations = new Observations();
                Instant end = Instant.now().plus(RUN);
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> clients = startClients(threads, edge.uri("/"), observations, end);
                    Thread.sleep(KILL_AT);
                    gateway.kill();
                    Thread.sleep(DOWN_FOR);
                    gateway = GatewayProcess.start(ledgerDir, GATEWAY_FAULTS, REPORTS.resolve("GatewayStormTest-gateway-2.log"));
                    balancer.forwardTo(gateway.grpcPort());
                    for (Future<?> client : clients) {
                        client.get();
                    }
                }
                observations.ended();
                // Let calls the clients gave up on finish at the edge and the gateway.
                Thread.sleep(1500);
                gateway.close();
                try (Database ledger = Database.open(ledgerDir, 4)) {
                    report = StormVerifier.verify("gateway over gRPC, killed -9 at " + KILL_AT.toSeconds() + " s",
                            edge.app().dataSource(), ledger.dataSource(), observations);
                    Ledger edgeLedger = new Ledger(edge.app().dataSource());
                    chargedAtEdge = edgeLedger.count("SELECT COUNT(*) FROM payments WHERE processor_charge_id IS NOT NULL");
                    chargedAtEdgeButUnknownToGateway = chargedAtEdge - charged(ledger, edge);
                }
            }
        } finally {
            gateway.close();
            delete(ledgerDir);
        }
        report.writeTo(REPORTS, "GatewayStormTest");

        assertEquals(List.of(), report.violations(), report.toMarkdown());
        assertEquals(0, report.money().duplicatePayments(), report.toMarkdown());
        assertEquals(0, report.money().duplicateCharges(), report.toMarkdown());
        assertEquals(0, chargedAtEdgeButUnknownToGateway, "charges the edge recorded but the killed gateway forgot");
        assertTrue(report.acknowledgedOrders() > 30, "the storm did real work: " + report.toMarkdown());
        assertTrue(report.problemTypes().keySet().stream().anyMatch(t -> t.contains("processor-unavailable")),
                "the kill was seen as 503 processor-unavailable: " + report.toMarkdown());
        assertTrue(report.client("storm").attempts() > report.client("storm").ordersStarted(),
                "the storm retried: " + report.toMarkdown());
        assertTrue(chargedAtEdge > 0);
    }

    /** Payments the edge holds as charged whose charge id the gateway's ledger has. */
    private static long charged(Database ledger, TestApi edge) throws Exception {
        List<String> chargeIds = new ArrayList<>();
        try (var c = edge.app().dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT processor_charge_id FROM payments WHERE processor_charge_id IS NOT NULL")) {
            while (rs.next()) {
                chargeIds.add(rs.getString(1));
            }
        }
        Ledger gatewayLedger = new Ledger(ledger.dataSource());
        return chargeIds.stream().filter(id -> gatewayLedger.count(
                "SELECT COUNT(*) FROM sandbox_operations WHERE charge_id = ? AND operation IN ('charge', 'authorize')", id) == 1)
                .count();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static AppConfig edgeConfig(AppConfig config) {
        Map<String, String> env = new HashMap<>(EDGE_ENV);
        env.put("PORT", "0");
        env.put("BREAKWATER_DATA_DIR", config.dataDir().toString());
        return AppConfig.fromEnv(env).withApiKeys(config.apiKeys());
    }

    private static List<Future<?>> startClients(ExecutorService threads, URI base, Observations observations, Instant end) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        StormCrowds crowds = new StormCrowds(http, base, CLIENT_TIMEOUT, observations, threads, end);
        List<Future<?>> clients = new ArrayList<>(crowds.storm("storm", KEY_A, STORM_CLIENTS, new StormClient.Pacer(150)));
        clients.addAll(crowds.polite("polite", KEY_B, POLITE_CLIENTS));
        return clients;
    }
}
