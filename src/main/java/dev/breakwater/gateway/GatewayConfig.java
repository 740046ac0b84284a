package dev.breakwater.gateway;

import dev.breakwater.common.Env;
import dev.breakwater.http.ServerProvider;
import dev.breakwater.processor.SandboxProcessor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The processor gateway's settings, read once from the environment; a bad value fails startup
 * naming the variable. Faults use the sandbox's own variables, so a gateway misbehaves exactly
 * as the in-process sandbox would with the same settings.
 */
public record GatewayConfig(
        String bindAddress,
        int grpcPort,
        int httpPort,
        Path dataDir,
        SandboxProcessor.Faults faults,
        Duration hang,
        int maxInFlight,
        ServerProvider httpServer) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_GRPC_PORT = 9090;
    public static final int DEFAULT_HTTP_PORT = 9091;
    public static final String DEFAULT_DATA_DIR = "./data-processor";
    /** As long as the edge's default processor timeout: a hung call outlasts the caller's deadline. */
    public static final Duration DEFAULT_HANG = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    public GatewayConfig {
        if (grpcPort < 0 || grpcPort > 65535 || httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("BREAKWATER_GATEWAY_GRPC_PORT and _HTTP_PORT must be 0-65535");
        }
        if (grpcPort != 0 && grpcPort == httpPort) {
            throw new IllegalArgumentException("BREAKWATER_GATEWAY_GRPC_PORT and _HTTP_PORT must differ");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("BREAKWATER_GATEWAY_MAX_IN_FLIGHT must be at least 1");
        }
    }

    /** No faults, both ports ephemeral, storing under {@code dataDir}. */
    public static GatewayConfig defaults(Path dataDir) {
        return new GatewayConfig(DEFAULT_BIND, 0, 0, dataDir, SandboxProcessor.Faults.NONE, DEFAULT_HANG,
                DEFAULT_MAX_IN_FLIGHT, ServerProvider.ofProcess());
    }

    public GatewayConfig withFaults(SandboxProcessor.Faults newFaults, Duration newHang) {
        return new GatewayConfig(bindAddress, grpcPort, httpPort, dataDir, newFaults, newHang, maxInFlight, httpServer);
    }

    public GatewayConfig withMaxInFlight(int limit) {
        return new GatewayConfig(bindAddress, grpcPort, httpPort, dataDir, faults, hang, limit, httpServer);
    }

    public static GatewayConfig fromEnv(Map<String, String> env) {
        return fromEnv(new Env(env));
    }

    /** Reads every setting through {@code e}, so a test can hold README's gateway table to it. */
    public static GatewayConfig fromEnv(Env e) {
        return new GatewayConfig(
                e.string("BREAKWATER_BIND", DEFAULT_BIND),
                e.integer("BREAKWATER_GATEWAY_GRPC_PORT", DEFAULT_GRPC_PORT),
                e.integer("BREAKWATER_GATEWAY_HTTP_PORT", DEFAULT_HTTP_PORT),
                Path.of(e.string("BREAKWATER_DATA_DIR", DEFAULT_DATA_DIR)),
                new SandboxProcessor.Faults(
                        e.rate("BREAKWATER_SANDBOX_ERROR_RATE"),
                        e.rate("BREAKWATER_SANDBOX_TIMEOUT_RATE"),
                        Duration.ofMillis(e.integer("BREAKWATER_SANDBOX_LATENCY_MS", 0))),
                Duration.ofMillis(e.integer("BREAKWATER_GATEWAY_HANG_MS", (int) DEFAULT_HANG.toMillis())),
                e.integer("BREAKWATER_GATEWAY_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT),
                ServerProvider.fromEnv(e));
    }
}
