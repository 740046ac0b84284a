package dev.breakwater.support;

import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.contract.ProviderVerification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The real server, production wiring, on port 0 over its own fresh database (a directory for H2,
 * a schema for PostgreSQL: see {@link TestStore}), with two accounts, and an HTTP client to talk
 * to it. Close it to stop the server and delete the data.
 */
public final class TestApi implements AutoCloseable {
    public static final String KEY_A = "sk_test_account_a_0123456789";
    public static final String KEY_B = "sk_test_account_b_0123456789";
    public static final String ACCOUNT_A = "acct_a";
    public static final String ACCOUNT_B = "acct_b";

    private final Path dataDir;
    private final TestStore store;
    private final boolean ownsStore;
    private final AppConfig config;
    private App.Running app;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestApi(Path dataDir, TestStore store, boolean ownsStore, AppConfig config, App.Seams seams) {
        this.dataDir = dataDir;
        this.store = store;
        this.ownsStore = ownsStore;
        this.config = config;
        try {
            this.app = App.start(config, seams);
        } catch (RuntimeException e) {
            if (ownsStore) {
                store.close();
            }
            throw e;
        }
    }

    public static TestApi start() {
        return start(UnaryOperator.identity(), App.Seams.PRODUCTION);
    }

    public static TestApi start(UnaryOperator<AppConfig> customize) {
        return start(customize, App.Seams.PRODUCTION);
    }

    public static TestApi start(UnaryOperator<AppConfig> customize, App.Seams seams) {
        return start(TestStore.forThisRun(), true, customize, seams);
    }

    /**
     * One node of several over a shared store (a PostgreSQL schema the caller closes): nodes
     * started on the same store see the same data, as nodes behind a balancer do.
     */
    public static TestApi node(TestStore shared, UnaryOperator<AppConfig> customize, App.Seams seams) {
        return start(shared, false, customize, seams);
    }

    private static TestApi start(TestStore store, boolean ownsStore, UnaryOperator<AppConfig> customize,
                                 App.Seams seams) {
        try {
            Path dir = Files.createTempDirectory("breakwater-test");
            // The v1 suite was written for a v1 that is not deprecated: with v1's lifecycle links in
            // Link, its own naive next-page reader (the first Link is the next page) would misread
            // them, as any such client would (docs/versioning.md). Deprecated v1 is VersioningTest's.
            AppConfig config = customize.apply(store.apply(AppConfig.defaults(dir))
                    .withApiKeys(Map.of(KEY_A, ACCOUNT_A, KEY_B, ACCOUNT_B)).withV1Lifecycle(null));
            return new TestApi(dir, store, ownsStore, config, seams);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server and starts it again on the same data (a clean restart, same port not guaranteed). */
    public void restart(App.Seams seams) {
        app.close();
        app = App.start(config, seams);
    }

    public App.Running app() {
        return app;
    }

    public Path dataDir() {
        return dataDir;
    }

    public AppConfig config() {
        return config;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    /**
     * Sends the request and verifies the exchange against its version's contract, openapi/v1.yaml or
     * openapi/v2.yaml (provider verification,
     * docs/contract.md): an undocumented status, header or body shape fails the calling test.
     */
    public ApiResponse send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            ProviderVerification.forPath(request.uri().getPath()).verify(ProviderVerification.Exchange.of(request, response.statusCode(),
                    response.headers(), response.body()));
            return new ApiResponse(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public ApiResponse get(String pathAndQuery, String secret) {
        return send(request(pathAndQuery).header("Authorization", "Bearer " + secret).GET().build());
    }

    public ApiResponse post(String path, String secret, String idempotencyKey, String json) {
        HttpRequest.Builder builder = request(path)
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder.build());
    }

    /** POST with a fresh random Idempotency-Key. */
    public ApiResponse post(String path, String secret, String json) {
        return post(path, secret, UUID.randomUUID().toString(), json);
    }

    public ApiResponse patch(String path, String secret, String json, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path)
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** Creates a payment with pm_card_visa and returns its id. */
    public String createPayment(String secret, long amount, String captureMethod) {
        ApiResponse response = post("/v1/payments", secret, """
                {"amount": %d, "currency": "usd", "payment_method": "pm_card_visa", "capture_method": "%s"}"""
                .formatted(amount, captureMethod));
        if (response.status() != 201) {
            throw new IllegalStateException("payment not created: " + response);
        }
        return response.json().get("id").asText();
    }

    @Override
    public void close() {
        app.close();
        if (ownsStore) {
            store.close();
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
