package dev.breakwater.gateway;

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
        int maxInFlight) {

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
                DEFAULT_MAX_IN_FLIGHT);
    }

    public GatewayConfig withFaults(SandboxProcessor.Faults newFaults, Duration newHang) {
        return new GatewayConfig(bindAddress, grpcPort, httpPort, dataDir, newFaults, newHang, maxInFlight);
    }

    public GatewayConfig withMaxInFlight(int limit) {
        return new GatewayConfig(bindAddress, grpcPort, httpPort, dataDir, faults, hang, limit);
    }

    public static GatewayConfig fromEnv(Map<String, String> env) {
        return new GatewayConfig(
                string(env, "BREAKWATER_BIND", DEFAULT_BIND),
                integer(env, "BREAKWATER_GATEWAY_GRPC_PORT", DEFAULT_GRPC_PORT),
                integer(env, "BREAKWATER_GATEWAY_HTTP_PORT", DEFAULT_HTTP_PORT),
                Path.of(string(env, "BREAKWATER_DATA_DIR", DEFAULT_DATA_DIR)),
                new SandboxProcessor.Faults(
                        rate(env, "BREAKWATER_SANDBOX_ERROR_RATE"),
                        rate(env, "BREAKWATER_SANDBOX_TIMEOUT_RATE"),
                        Duration.ofMillis(integer(env, "BREAKWATER_SANDBOX_LATENCY_MS", 0))),
                Duration.ofMillis(integer(env, "BREAKWATER_GATEWAY_HANG_MS", (int) DEFAULT_HANG.toMillis())),
                integer(env, "BREAKWATER_GATEWAY_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT));
    }

    private static String string(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = string(env, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    private static double rate(Map<String, String> env, String name) {
        String value = string(env, name, null);
        if (value == null) {
            return 0;
        }
        try {
            double rate = Double.parseDouble(value);
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a probability from 0 to 1, got '" + value + "'");
    }
}
