package dev.breakwater;

import com.sun.net.httpserver.HttpServer;
import dev.breakwater.accounts.Accounts;
import dev.breakwater.accounts.Authentication;
import dev.breakwater.customers.CustomerHandlers;
import dev.breakwater.customers.Customers;
import dev.breakwater.events.EventHandlers;
import dev.breakwater.events.Events;
import dev.breakwater.http.ContentNegotiation;
import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.HttpApi;
import dev.breakwater.http.OnlyUnder;
import dev.breakwater.http.Pipeline;
import dev.breakwater.http.PublicLinks;
import dev.breakwater.http.Response;
import dev.breakwater.http.Router;
import dev.breakwater.http.ServerProvider;
import dev.breakwater.http.idempotency.Idempotency;
import dev.breakwater.http.idempotency.IdempotencyKeyRequired;
import dev.breakwater.http.idempotency.IdempotencyRecords;
import dev.breakwater.http.pagination.CursorCodec;
import dev.breakwater.http.ratelimit.AccountRateLimiter;
import dev.breakwater.http.ratelimit.ClientAddressLimiter;
import dev.breakwater.http.ratelimit.ConcurrencyLimiter;
import dev.breakwater.http.ratelimit.ConcurrencyStore;
import dev.breakwater.http.ratelimit.InMemoryConcurrencyStore;
import dev.breakwater.http.ratelimit.InMemoryRateLimitStore;
import dev.breakwater.http.ratelimit.LoadShedder;
import dev.breakwater.http.ratelimit.RateLimitConfig;
import dev.breakwater.http.ratelimit.RateLimitStore;
import dev.breakwater.http.ratelimit.RedisConcurrencyStore;
import dev.breakwater.http.ratelimit.RedisLimits;
import dev.breakwater.http.ratelimit.RedisRateLimitStore;
import dev.breakwater.observability.Observability;
import dev.breakwater.ops.IdempotencySweeper;
import dev.breakwater.ops.OpsHandlers;
import dev.breakwater.ops.Readiness;
import dev.breakwater.payments.PaymentHandlers;
import dev.breakwater.payments.Payments;
import dev.breakwater.processor.GrpcPaymentProcessor;
import dev.breakwater.processor.HttpPaymentProcessor;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.processor.ProcessorTransport;
import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.refunds.RefundHandlers;
import dev.breakwater.store.Database;
import dev.breakwater.store.Settings;
import dev.breakwater.trace.TraceContext;
import dev.breakwater.versions.ApiVersion;
import dev.breakwater.versions.V2Representation;
import dev.breakwater.versions.VersionLifecycle;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.breakwater.http.TrafficClass.CRITICAL;
import static dev.breakwater.http.TrafficClass.READ;
import static dev.breakwater.http.TrafficClass.WRITE;

/**
 * The composition root: config, then database, stores, services, handlers, router, pipeline
 * and server, wired by hand in that order. Tests start exactly this wiring on port 0.
 */
public final class App {
    /** How long {@code close()} waits for requests in flight before it closes the store anyway. */
    private static final Duration DRAIN = Duration.ofSeconds(20);
    private static final System.Logger LOG = System.getLogger(App.class.getName());

    private App() {
    }

    /**
     * What tests and load experiments may replace in code (never via configuration): the clock, a
     * wrapper around the processor (e.g. to simulate a crash), the console, and the filter list
     * (e.g. the retry-storm "before" wiring that runs without the guards).
     */
    public record Seams(Clock clock, UnaryOperator<PaymentProcessor> processorDecorator, PrintStream console,
                        UnaryOperator<List<Filter>> filters) {
        public static final Seams PRODUCTION =
                new Seams(Clock.systemUTC(), UnaryOperator.identity(), System.out, UnaryOperator.identity());

        public Seams(Clock clock, UnaryOperator<PaymentProcessor> processorDecorator, PrintStream console) {
            this(clock, processorDecorator, console, UnaryOperator.identity());
        }
    }

    /** A started server: its port, its data source (for operators and tests) and {@code close()}. */
    public interface Running extends AutoCloseable {
        int port();

        DataSource dataSource();

        Router router();

        @Override
        void close();
    }

    public static Running start(AppConfig config) {
        return start(config, Seams.PRODUCTION);
    }

    public static Running start(AppConfig config, Seams seams) {
        Clock clock = seams.clock();
        Database database = config.postgres() != null
                ? Database.open(config.postgres(), config.dbPoolSize())
                : Database.open(config.dataDir(), config.dbPoolSize(), config.writeMode());
        // Shared limiter state for several nodes; null: each node keeps its own in memory.
        RedisLimits redis = config.redis() == null ? null : new RedisLimits(config.redis());
        Observability observability = null; // both own threads: closed again if a later step fails
        PaymentProcessor edgeProcessor = null;
        try {
            Accounts accounts = new Accounts(database, clock);
            bootstrapAccounts(config, accounts, seams.console());
            Settings settings = new Settings(database);
            CursorCodec cursors = new CursorCodec(settings.secret("cursor_secret", config.cursorSecret()));

            // Metrics and JFR see the real processor; a test seam (e.g. a simulated crash) wraps outside them.
            observability = Observability.create(config.observability(), config.v1Lifecycle(), database, clock,
                    seams.console());
            edgeProcessor = processor(config, database, clock);
            PaymentProcessor processor = seams.processorDecorator().apply(
                    observability.observe(edgeProcessor, ProcessorTransport.of(config.processorUrl()).label()));
            IdempotencyRecords idempotencyRecords = new IdempotencyRecords(database, clock, config.idempotencyTtl(),
                    config.idempotencyLockTimeout());
            Idempotency idempotency = new Idempotency(idempotencyRecords);
            Events events = new Events();

            Customers customers = new Customers();
            Payments payments = new Payments();

            CustomerHandlers customerHandlers = new CustomerHandlers(database, customers, events, idempotency, cursors, clock);
            PaymentHandlers paymentHandlers = new PaymentHandlers(database, payments, customers, events, processor,
                    idempotency, cursors, clock);
            RefundHandlers refundHandlers = new RefundHandlers(database, payments, events, processor, idempotency,
                    cursors, clock);
            EventHandlers eventHandlers = new EventHandlers(database, events, cursors);
            OpsHandlers ops = new OpsHandlers();
            HttpApi[] api = new HttpApi[1]; // readiness asks the server whether it is draining; built below
            Readiness readiness = new Readiness(database, redis, () -> api[0] != null && api[0].isDraining());

            // Every POST is idempotent: its one post-route step reads the Idempotency-Key and the fingerprint.
            Filter keyed = new IdempotencyKeyRequired();
            Router router = new Router()
                    .add("GET", "/health", ops::health)
                    .add("GET", "/health/live", readiness::live)
                    .add("GET", "/health/ready", readiness::ready)
                    .add("GET", "/openapi/v1.yaml", ops::v1Spec)
                    .add("GET", "/openapi/v2.yaml", ops::v2Spec)
                    .add("GET", "/docs/versioning", ops::versioningGuide)
                    .add("GET", "/metrics", observability::metrics)
                    .add("GET", "/dashboard", observability::dashboard)
                    .add("GET", "/dashboard/data", observability::dashboardData)
                    .add("GET", "/dashboard/assets/{name}", observability::dashboardAsset);
            // One table of features, served under every version by the same handlers: a version is an edge.
            for (ApiVersion version : ApiVersion.values()) {
                String v = version.prefix();
                router.add("POST", v + "/customers", WRITE, keyed.around(customerHandlers::create))
                        .add("GET", v + "/customers", READ, customerHandlers::list)
                        .add("GET", v + "/customers/{id}", READ, customerHandlers::get)
                        .add("PATCH", v + "/customers/{id}", WRITE, customerHandlers::update)
                        .add("POST", v + "/payments", CRITICAL, keyed.around(paymentHandlers::create))
                        .add("GET", v + "/payments", READ, paymentHandlers::list)
                        .add("GET", v + "/payments/{id}", READ, paymentHandlers::get)
                        .add("POST", v + "/payments/{id}/capture", CRITICAL, keyed.around(paymentHandlers::capture))
                        .add("POST", v + "/payments/{id}/cancel", WRITE, keyed.around(paymentHandlers::cancel))
                        .add("POST", v + "/refunds", CRITICAL, keyed.around(refundHandlers::create))
                        .add("GET", v + "/refunds", READ, refundHandlers::list)
                        .add("GET", v + "/refunds/{id}", READ, refundHandlers::get)
                        .add("GET", v + "/events", READ, eventHandlers::list)
                        .add("GET", v + "/events/{id}", READ, eventHandlers::get);
            }

            // Order matters: resolve the route (its traffic class and label), say what a retiring
            // version's callers must know (on every response, so before anything can refuse), shed,
            // limit bad keys per address, authenticate, limit the account's rate then its
            // concurrency (all before any database work, one quota per account across versions),
            // negotiate, translate /v2's shapes, then the router answers 404/405 or runs the route.
            // The limiters use the monotonic clock, not the seam clock: a test's frozen clock must not freeze quotas.
            RateLimitConfig limits = config.rateLimits();
            RateLimitStore rates = redis == null ? new InMemoryRateLimitStore() : new RedisRateLimitStore(redis);
            ConcurrencyStore inFlight = redis == null ? new InMemoryConcurrencyStore() : new RedisConcurrencyStore(redis);
            Authentication authentication = new Authentication(accounts);
            List<String> apiPaths = ApiVersion.pathPrefixes();
            List<Filter> filters = new ArrayList<>(List.of(
                    observability.inFlightFilter(), // first, so in-flight counts and JFR durations cover everything
                    new TraceContext(), // the request's traceparent, for the processor calls it makes
                    router.resolver()));
            if (config.v1Lifecycle() != null) {
                filters.add(new VersionLifecycle(ApiVersion.V1, ApiVersion.V2, config.v1Lifecycle(), clock));
            }
            filters.addAll(List.of(
                    new PublicLinks(config.publicBaseUrl()), // outside the idempotency step, so replays get it too
                    new OnlyUnder(apiPaths, new LoadShedder(limits.shedding())),
                    new OnlyUnder(apiPaths, new ClientAddressLimiter(rates, limits.authFailures(), System::nanoTime,
                            authentication::mayHoldValidKey)),
                    new OnlyUnder(apiPaths, authentication),
                    new OnlyUnder(apiPaths, new AccountRateLimiter(rates, limits.writes(), limits.reads(), System::nanoTime)),
                    new OnlyUnder(apiPaths, new ConcurrencyLimiter(inFlight, limits.maxInFlightPerAccount())),
                    new OnlyUnder(apiPaths, new ContentNegotiation()), // ops answers are YAML, text, HTML: not negotiated
                    new V2Representation()));
            Handler pipeline = Pipeline.of(seams.filters().apply(List.copyOf(filters)), router);

            HttpServer server = config.httpServer().create(new InetSocketAddress(config.bindAddress(), config.port()), 1024);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            observability.expectAccounts(accounts.accountIds());
            api[0] = new HttpApi(pipeline, config.maxBodyBytes(), observability.requestObserver(router));
            server.createContext("/", api[0]);
            IdempotencySweeper sweeper = IdempotencySweeper.start(idempotencyRecords, config.idempotencySweepInterval());
            server.start();
            return new RunningApp(config.httpServer(), server, api[0], executor, database, redis, sweeper, router,
                    edgeProcessor, observability);
        } catch (IOException e) {
            abandon(observability, edgeProcessor, database, redis);
            throw new UncheckedIOException("could not bind " + config.bindAddress() + ":" + config.port(), e);
        } catch (RuntimeException e) {
            abandon(observability, edgeProcessor, database, redis);
            throw e;
        }
    }

    /** Undoes a start that failed part-way (a port in use, say), so a caller that retries leaks no threads. */
    private static void abandon(Observability observability, PaymentProcessor processor, Database database,
                                RedisLimits redis) {
        if (observability != null) {
            observability.close();
        }
        if (processor instanceof GrpcPaymentProcessor channel) {
            channel.close();
        }
        closeStores(database, redis);
    }

    private static void closeStores(Database database, RedisLimits redis) {
        if (redis != null) {
            redis.close();
        }
        database.close();
    }

    private static PaymentProcessor processor(AppConfig config, Database database, Clock clock) {
        return switch (ProcessorTransport.of(config.processorUrl())) {
            case HTTP -> new HttpPaymentProcessor(config.processorUrl(), Duration.ofSeconds(2), config.processorTimeout());
            case GRPC -> GrpcPaymentProcessor.connect(config.processorUrl(), config.processorTimeout());
            case SANDBOX -> new SandboxProcessor(database.dataSource(), clock, config.processorTimeout(), config.sandboxFaults());
        };
    }

    private static void bootstrapAccounts(AppConfig config, Accounts accounts, PrintStream console) {
        for (Map.Entry<String, String> key : config.apiKeys().entrySet()) {
            accounts.register(key.getValue(), key.getKey());
        }
        if (config.apiKeys().isEmpty() && accounts.isEmpty()) {
            String secret = Accounts.newSecret();
            accounts.register("acct_sandbox", secret);
            console.println("Created sandbox account acct_sandbox. Its secret key (shown once, store it now): " + secret);
        }
        accounts.loadKeys();
    }

    private record RunningApp(ServerProvider provider, HttpServer server, HttpApi api, ExecutorService executor,
                              Database database, RedisLimits redis, IdempotencySweeper sweeper, Router router,
                              PaymentProcessor processor, Observability observability)
            implements Running {
        @Override
        public int port() {
            return server.getAddress().getPort();
        }

        @Override
        public DataSource dataSource() {
            return database.dataSource();
        }

        /**
         * Stops taking connections, lets the requests in flight finish (for up to {@link #DRAIN}),
         * writes the access log's last lines (a request queues its line after its response, so only
         * once the executor is done), then closes the store. Nothing is interrupted: a request
         * interrupted mid-work would fail at its next database call, and an interrupt inside H2's
         * file I/O closes the file (which the {@code retry:} file system reopens, see
         * {@code Database.open}).
         */
        @Override
        public void close() {
            long deadline = System.nanoTime() + DRAIN.toNanos();
            api.drain();
            provider.stop(server, api, deadline);
            executor.shutdown();
            try {
                if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.log(Level.WARNING, "requests still running " + DRAIN.toSeconds()
                            + " s after shutdown began; closing the store under them (their connections are already closed,"
                            + " so none of them is acknowledged; a retry with the same Idempotency-Key finds what committed)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            observability.close();
            sweeper.close();
            if (processor instanceof GrpcPaymentProcessor channel) {
                channel.close();
            }
            closeStores(database, redis);
        }
    }

}
