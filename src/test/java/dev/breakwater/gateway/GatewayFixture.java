package dev.breakwater.gateway;

import dev.breakwater.support.Ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** The real processor gateway, production wiring, on port 0 over a fresh ledger, with its log lines kept. */
final class GatewayFixture implements AutoCloseable {
    private final Path dataDir;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final Gateway.Running gateway;

    private GatewayFixture(Path dataDir, GatewayConfig config) {
        this.dataDir = dataDir;
        this.gateway = Gateway.start(config, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    static GatewayFixture start(UnaryOperator<GatewayConfig> customize) {
        try {
            Path dir = Files.createTempDirectory("breakwater-gateway");
            return new GatewayFixture(dir, customize.apply(GatewayConfig.defaults(dir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GatewayFixture start() {
        return start(UnaryOperator.identity());
    }

    Gateway.Running gateway() {
        return gateway;
    }

    /** The URL the edge is configured with to reach this gateway over {@code transport} ("grpc" or "http"). */
    URI url(String transport) {
        int port = transport.equals("grpc") ? gateway.grpcPort() : gateway.httpPort();
        return URI.create(transport + "://127.0.0.1:" + port + "/");
    }

    Ledger ledger() {
        return new Ledger(gateway.dataSource());
    }

    List<String> logLines() {
        synchronized (logBytes) {
            return logBytes.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Override
    public void close() {
        gateway.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
