package dev.breakwater;

import dev.breakwater.common.Env;
import dev.breakwater.http.PublicLinks;
import dev.breakwater.http.ServerProvider;
import dev.breakwater.http.ratelimit.RateLimitConfig;
import dev.breakwater.http.ratelimit.RedisConfig;
import dev.breakwater.observability.ObservabilityConfig;
import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.store.PostgresConfig;
import dev.breakwater.store.WriteMode;
import dev.breakwater.versions.Lifecycle;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the server is configured with, validated; a bad value fails startup with a message
 * naming the variable. {@link #fromEnv} reads every setting from the environment except the
 * idempotency sweep interval, a constant that only tests change ({@link #withSweepInterval}).
 */
public record AppConfig(
        String bindAddress,
        int port,
        Path dataDir,
        Map<String, String> apiKeys,
        int dbPoolSize,
        int maxBodyBytes,
        Duration idempotencyTtl,
        Duration idempotencyLockTimeout,
        Duration idempotencySweepInterval,
        URI processorUrl,
        Duration processorTimeout,
        SandboxProcessor.Faults sandboxFaults,
        String cursorSecret,
        ObservabilityConfig observability,
        RateLimitConfig rateLimits,
        WriteMode writeMode,
        URI publicBaseUrl,
        Lifecycle v1Lifecycle,
        PostgresConfig postgres,
        RedisConfig redis,
        ServerProvider httpServer) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_DATA_DIR = "./data";
    public static final int DEFAULT_DB_POOL = 4;
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
    /** Longer than the slowest legitimate attempt (processor timeout plus commit), so only dead owners lose the lock. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_PROCESSOR_TIMEOUT = Duration.ofSeconds(5);
    /** Group commit: concurrent writes share one durable commit; {@code naive} commits each on its own. */
    public static final WriteMode DEFAULT_WRITE_MODE = WriteMode.GROUP;
    /**
     * v1's schedule since v2 shipped: deprecated from that day, retired after at least a year
     * (docs/versioning.md). An operator may move either date; Sunset never before Deprecation.
     */
    public static final Lifecycle DEFAULT_V1_LIFECYCLE =
            new Lifecycle(Instant.parse("2026-12-03T00:00:00Z"), Instant.parse("2027-12-31T23:59:59Z"));

    public AppConfig {
        apiKeys = Map.copyOf(apiKeys);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be 0-65535, got " + port);
        }
        if (dbPoolSize < 1) {
            throw new IllegalArgumentException("BREAKWATER_DB_POOL must be at least 1");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("BREAKWATER_MAX_BODY_BYTES must be at least 1024");
        }
        if (writeMode == null) {
            throw new IllegalArgumentException("BREAKWATER_WRITE_MODE must be 'group' or 'naive'");
        }
        if (processorUrl != null && !isProcessorUrl(processorUrl)) {
            throw new IllegalArgumentException("BREAKWATER_PROCESSOR_URL must be an http(s):// URL or grpc://host:port, got '"
                    + processorUrl + "'");
        }
        if (idempotencyLockTimeout.compareTo(processorTimeout) <= 0) {
            throw new IllegalArgumentException("BREAKWATER_IDEMPOTENCY_LOCK_TIMEOUT_SECONDS must exceed the processor timeout");
        }
    }

    /** http(s) for the HTTP/JSON client; grpc needs an explicit port, as there is no default one to assume. */
    private static boolean isProcessorUrl(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https") || (scheme.equals("grpc") && url.getPort() > 0);
    }

    /** Defaults for everything, storing under {@code dataDir}, on an ephemeral port. */
    public static AppConfig defaults(Path dataDir) {
        return new AppConfig(DEFAULT_BIND, 0, dataDir, Map.of(), DEFAULT_DB_POOL, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_IDEMPOTENCY_TTL, DEFAULT_LOCK_TIMEOUT, DEFAULT_SWEEP_INTERVAL, null, DEFAULT_PROCESSOR_TIMEOUT,
                SandboxProcessor.Faults.NONE, null, ObservabilityConfig.DEFAULTS, RateLimitConfig.DEFAULTS,
                DEFAULT_WRITE_MODE, null, DEFAULT_V1_LIFECYCLE, null, null, ServerProvider.ofProcess());
    }

    public static AppConfig fromEnv(Map<String, String> env) {
        return fromEnv(new Env(env));
    }

    /** Reads every setting, the nested limit and observability settings included, through {@code e}. */
    public static AppConfig fromEnv(Env e) {
        return new AppConfig(
                e.string("BREAKWATER_BIND", DEFAULT_BIND),
                e.integer("PORT", DEFAULT_PORT),
                Path.of(e.string("BREAKWATER_DATA_DIR", DEFAULT_DATA_DIR)),
                parseKeys(e.string("BREAKWATER_API_KEYS", null)),
                e.integer("BREAKWATER_DB_POOL", DEFAULT_DB_POOL),
                e.integer("BREAKWATER_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
                Duration.ofSeconds(e.integer("BREAKWATER_IDEMPOTENCY_TTL_SECONDS", (int) DEFAULT_IDEMPOTENCY_TTL.toSeconds())),
                Duration.ofSeconds(e.integer("BREAKWATER_IDEMPOTENCY_LOCK_TIMEOUT_SECONDS", (int) DEFAULT_LOCK_TIMEOUT.toSeconds())),
                DEFAULT_SWEEP_INTERVAL,
                e.url("BREAKWATER_PROCESSOR_URL"),
                Duration.ofMillis(e.integer("BREAKWATER_PROCESSOR_TIMEOUT_MS", (int) DEFAULT_PROCESSOR_TIMEOUT.toMillis())),
                new SandboxProcessor.Faults(
                        e.rate("BREAKWATER_SANDBOX_ERROR_RATE"),
                        e.rate("BREAKWATER_SANDBOX_TIMEOUT_RATE"),
                        Duration.ofMillis(e.integer("BREAKWATER_SANDBOX_LATENCY_MS", 0))),
                e.string("BREAKWATER_CURSOR_SECRET", null),
                ObservabilityConfig.fromEnv(e),
                RateLimitConfig.fromEnv(e),
                WriteMode.parse(e.string("BREAKWATER_WRITE_MODE", DEFAULT_WRITE_MODE.name().toLowerCase(Locale.ROOT)),
                        "BREAKWATER_WRITE_MODE"),
                PublicLinks.parse("BREAKWATER_PUBLIC_BASE_URL", e.string("BREAKWATER_PUBLIC_BASE_URL", null)),
                new Lifecycle(e.instant("BREAKWATER_V1_DEPRECATED_AT", DEFAULT_V1_LIFECYCLE.deprecatedAt()),
                        e.instant("BREAKWATER_V1_SUNSET_AT", DEFAULT_V1_LIFECYCLE.sunsetAt())),
                PostgresConfig.fromEnv(e),
                RedisConfig.fromEnv(e),
                ServerProvider.fromEnv(e));

    }

    /** {@code acct_a:sk_test_1,acct_b:sk_test_2} to secret -> account id; none when unset. */
    static Map<String, String> parseKeys(String text) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return keys;
        }
        for (String pair : text.split(",")) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("BREAKWATER_API_KEYS must be comma-separated account:secret pairs");
            }
            String account = pair.substring(0, colon).strip();
            String secret = pair.substring(colon + 1).strip();
            if (secret.length() < 16) {
                throw new IllegalArgumentException("BREAKWATER_API_KEYS: the secret for " + account + " must be at least 16 characters");
            }
            keys.put(secret, account);
        }
        return keys;
    }

    public AppConfig withPort(int newPort) {
        return with(b -> b.port = newPort);
    }

    /** Secret -> account id (one account may have several keys). */
    public AppConfig withApiKeys(Map<String, String> keys) {
        return with(b -> b.apiKeys = keys);
    }

    public AppConfig withIdempotency(Duration ttl, Duration lockTimeout) {
        return with(b -> {
            b.idempotencyTtl = ttl;
            b.idempotencyLockTimeout = lockTimeout;
        });
    }

    public AppConfig withSweepInterval(Duration interval) {
        return with(b -> b.idempotencySweepInterval = interval);
    }

    public AppConfig withProcessor(URI url, Duration timeout, SandboxProcessor.Faults faults) {
        return with(b -> {
            b.processorUrl = url;
            b.processorTimeout = timeout;
            b.sandboxFaults = faults;
        });
    }

    public AppConfig withObservability(ObservabilityConfig newObservability) {
        return with(b -> b.observability = newObservability);
    }

    public AppConfig withRateLimits(RateLimitConfig limits) {
        return with(b -> b.rateLimits = limits);
    }

    /** Absolute {@code Link} and {@code Location} under this URL (null: relative, the default). */
    public AppConfig withPublicBaseUrl(URI url) {
        return with(b -> b.publicBaseUrl = url);
    }

    public AppConfig withWriteMode(WriteMode mode) {
        return with(b -> b.writeMode = mode);
    }

    /** v1's deprecation schedule; null for none (v1 then carries no Deprecation or Sunset headers). */
    public AppConfig withV1Lifecycle(Lifecycle lifecycle) {
        return with(b -> b.v1Lifecycle = lifecycle);
    }

    /** Stores in PostgreSQL instead of embedded H2 (null: H2). */
    public AppConfig withPostgres(PostgresConfig newPostgres) {
        return with(b -> b.postgres = newPostgres);
    }

    /** Keeps rate-limit and concurrency state in Redis (null: in this process). */
    public AppConfig withRedis(RedisConfig newRedis) {
        return with(b -> b.redis = newRedis);
    }

    /** A copy with some settings changed (and validated again). */
    public AppConfig with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The mutable form of a config, only ever seen inside {@link #with}. */
    public static final class Builder {
        public String bindAddress;
        public int port;
        public Path dataDir;
        public Map<String, String> apiKeys;
        public int dbPoolSize;
        public int maxBodyBytes;
        public Duration idempotencyTtl;
        public Duration idempotencyLockTimeout;
        public Duration idempotencySweepInterval;
        public URI processorUrl;
        public Duration processorTimeout;
        public SandboxProcessor.Faults sandboxFaults;
        public String cursorSecret;
        public ObservabilityConfig observability;
        public RateLimitConfig rateLimits;
        public WriteMode writeMode;
        public URI publicBaseUrl;
        public Lifecycle v1Lifecycle;
        public PostgresConfig postgres;
        public RedisConfig redis;
        public ServerProvider httpServer;

        private Builder(AppConfig c) {
            bindAddress = c.bindAddress;
            port = c.port;
            dataDir = c.dataDir;
            apiKeys = c.apiKeys;
            dbPoolSize = c.dbPoolSize;
            maxBodyBytes = c.maxBodyBytes;
            idempotencyTtl = c.idempotencyTtl;
            idempotencyLockTimeout = c.idempotencyLockTimeout;
            idempotencySweepInterval = c.idempotencySweepInterval;
            processorUrl = c.processorUrl;
            processorTimeout = c.processorTimeout;
            sandboxFaults = c.sandboxFaults;
            cursorSecret = c.cursorSecret;
            observability = c.observability;
            rateLimits = c.rateLimits;
            writeMode = c.writeMode;
            publicBaseUrl = c.publicBaseUrl;
            v1Lifecycle = c.v1Lifecycle;
            postgres = c.postgres;
            redis = c.redis;
            httpServer = c.httpServer;
        }

        private AppConfig build() {
            return new AppConfig(bindAddress, port, dataDir, apiKeys, dbPoolSize, maxBodyBytes, idempotencyTtl,
                    idempotencyLockTimeout, idempotencySweepInterval, processorUrl, processorTimeout, sandboxFaults,
                    cursorSecret, observability, rateLimits, writeMode, publicBaseUrl, v1Lifecycle, postgres, redis,
                    httpServer);
        }
    }
}
