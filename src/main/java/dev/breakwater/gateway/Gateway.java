package dev.breakwater.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.store.Database;
import dev.breakwater.store.WriteMode;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The processor gateway's composition root: its own store, the sandbox processor over it (the
 * same class the edge runs in-process, recording durably), and the two edges onto it, gRPC and
 * HTTP/JSON, sharing one in-flight limit and one log. {@link #start} returns the bound ports and
 * {@code close()}, so tests run exactly this wiring on port 0.
 */
public final class Gateway {
    private static final int DB_POOL = 4;

    private Gateway() {
    }

    public interface Running extends AutoCloseable {
        int grpcPort();

        int httpPort();

        /** Calls admitted and not yet answered, over both edges. */
        int callsInFlight();

        /** The gateway's ledger ({@code sandbox_operations}), for tests and operators. */
        DataSource dataSource();

        @Override
        void close();
    }

    public static Running start(GatewayConfig config, PrintStream log) {
        Database database = Database.open(config.dataDir(), DB_POOL, WriteMode.GROUP);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Server grpc = null;
        try {
            SandboxProcessor processor = SandboxProcessor.durable(database, Clock.systemUTC(), config.hang(), config.faults());
            GatewayCalls calls = new GatewayCalls(config.maxInFlight(), log);
            GrpcProcessorService service = new GrpcProcessorService(processor, calls);
            GrpcProcessorService.TraceInterceptor trace = new GrpcProcessorService.TraceInterceptor();
            grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.bindAddress(), config.grpcPort()),
                            InsecureServerCredentials.create())
                    .executor(executor)
                    .addService(ServerInterceptors.intercept(service, trace))
                    .addService(ServerInterceptors.intercept(new GrpcProcessorService.Batch(service), trace))
                    .build()
                    .start();
            HttpServer http = config.httpServer().create(new InetSocketAddress(config.bindAddress(), config.httpPort()), 1024);
            http.setExecutor(executor);
            http.createContext("/", new RestProcessorEndpoint(processor, calls));
            http.start();
            return new RunningGateway(grpc, http, executor, database, calls);
        } catch (IOException e) {
            stop(grpc);
            executor.close();
            database.close();
            throw new UncheckedIOException("could not bind the processor gateway on " + config.bindAddress(), e);
        } catch (RuntimeException e) {
            stop(grpc);
            executor.close();
            database.close();
            throw e;
        }
    }

    private static void stop(Server grpc) {
        if (grpc != null) {
            grpc.shutdownNow();
        }
    }

    private record RunningGateway(Server grpc, HttpServer http, ExecutorService executor, Database database,
                                  GatewayCalls calls) implements Running {
        @Override
        public int callsInFlight() {
            return calls.inFlight();
        }

        @Override
        public int grpcPort() {
            return ((InetSocketAddress) grpc.getListenSockets().getFirst()).getPort();
        }

        @Override
        public int httpPort() {
            return http.getAddress().getPort();
        }

        @Override
        public DataSource dataSource() {
            return database.dataSource();
        }

        /** Stops taking calls, lets those in flight finish (a few seconds at most), then closes the ledger. */
        @Override
        public void close() {
            grpc.shutdown();
            http.stop(1);
            try {
                if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                    grpc.shutdownNow();
                }
            } catch (InterruptedException e) {
                grpc.shutdownNow();
                Thread.currentThread().interrupt();
            }
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            database.close();
        }
    }
}
