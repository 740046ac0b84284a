package dev.breakwater.load;

import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.http.Filter;
import dev.breakwater.storm.WithoutGuards;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Starts Breakwater for a load run on 127.0.0.1, on a fresh data directory, in one of two wirings:
 * {@link Wiring#AFTER} is the real server (production composition root, production seams);
 * {@link Wiring#BEFORE} is the same app rewired by {@link WithoutGuards}, which exists only in
 * test code. The configuration is the shipped one ({@link AppConfig#fromEnv}), with the storm's
 * processor faults as defaults that BREAKWATER_* environment variables override.
 */
public final class StormServer implements AutoCloseable {
    public static final String STORM_ACCOUNT = "acct_storm";
    public static final String STORM_KEY = "sk_test_storm_account_000000000";
    public static final String POLITE_ACCOUNT = "acct_polite";
    public static final String POLITE_KEY = "sk_test_polite_account_00000000";

    /**
     * The storm's settings unless the environment says otherwise: a faulty processor (each call
     * 100-300 ms, 20% errors, half of them after the charge is recorded, 5% timeouts after
     * recording; 1 s processor timeout) and, for the real server's limiters, a write quota of 20
     * per second and 8 requests in flight per account: sized for this 2-core machine, so the
     * storm exceeds them many times over while the polite account stays within them. Ignored
     * by a server without those limiters.
     */
    static final Map<String, String> STORM_DEFAULTS = Map.of(
            "BREAKWATER_SANDBOX_ERROR_RATE", "0.2",
            "BREAKWATER_SANDBOX_TIMEOUT_RATE", "0.05",
            "BREAKWATER_SANDBOX_LATENCY_MS", "200",
            "BREAKWATER_PROCESSOR_TIMEOUT_MS", "1000",
            "BREAKWATER_RATELIMIT_WRITES_QUOTA", "20",
            "BREAKWATER_RATELIMIT_WRITES_WINDOW_SECONDS", "1",
            "BREAKWATER_RATELIMIT_MAX_IN_FLIGHT", "8");

    public enum Wiring {
        BEFORE, AFTER;

        public static Wiring parse(String text) {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }

        App.Seams seams(PrintStream console) {
            UnaryOperator<List<Filter>> filters =
                    this == BEFORE ? new WithoutGuards() : UnaryOperator.identity();
            return new App.Seams(Clock.systemUTC(), UnaryOperator.identity(), console, filters);
        }
    }

    private final Wiring wiring;
    private final AppConfig config;
    private final App.Running app;

    private StormServer(Wiring wiring, AppConfig config, App.Running app) {
        this.wiring = wiring;
        this.config = config;
        this.app = app;
    }

    /** Starts on {@code port} (0 for any) over a new directory under {@code dataRoot}. */
    public static StormServer start(Wiring wiring, int port, Path dataRoot) {
        try {
            Files.createDirectories(dataRoot);
            Path dataDir = Files.createTempDirectory(dataRoot, "data-" + wiring.name().toLowerCase(Locale.ROOT) + "-");
            Map<String, String> env = new HashMap<>(STORM_DEFAULTS);
            env.putAll(System.getenv());
            env.put("BREAKWATER_BIND", "127.0.0.1");
            env.put("PORT", Integer.toString(port));
            env.put("BREAKWATER_DATA_DIR", dataDir.toString());
            env.put("BREAKWATER_API_KEYS", STORM_ACCOUNT + ":" + STORM_KEY + "," + POLITE_ACCOUNT + ":" + POLITE_KEY);
            AppConfig config = AppConfig.fromEnv(env);
            return new StormServer(wiring, config, App.start(config, wiring.seams(System.out)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Wiring wiring() {
        return wiring;
    }

    public AppConfig config() {
        return config;
    }

    public App.Running app() {
        return app;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    @Override
    public void close() {
        app.close();
    }
}
