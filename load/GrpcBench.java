import dev.breakwater.processor.grpc.AuthorizeReply;
import dev.breakwater.processor.grpc.AuthorizeRequest;
import dev.breakwater.processor.grpc.ProcessorBatchGrpc;
import dev.breakwater.processor.grpc.ProcessorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The processor gateway's authorize, over gRPC and over REST/JSON, against one running gateway
 * (issue #17, docs/grpc.md). Started by load/grpc-bench.sh, which starts the gateway; run as a
 * source file with the jar on the class path:
 *
 * <pre>
 *   java -cp target/breakwater.jar load/GrpcBench.java GRPC_PORT HTTP_PORT GATEWAY_PID [WARMUP_S] [MEASURE_S]
 * </pre>
 *
 * Each step is a closed loop of C callers (virtual threads), each sending its next call when the
 * last one answered, for MEASURE_S seconds after a short settle; every call has a fresh processor
 * key, so every call is a new durable authorization in the gateway's ledger, never a replay.
 * "single" is one TCP connection (gRPC: one channel, calls multiplexed over HTTP/2; REST: one
 * keep-alive HTTP/1.1 connection the callers take turns on, as HTTP/1.1 cannot multiplex).
 * "pool" is gRPC: {@value #GRPC_POOL} channels, calls spread round-robin; REST: one keep-alive
 * connection per caller (what an HTTP/1.1 client pool does under load).
 *
 * CPU per call is the gateway process's CPU time (user + system, from /proc via ProcessHandle)
 * over the measured window, divided by the calls in it; the driver's own CPU is not in it. Bytes
 * on the wire are TCP payload bytes both ways, counted by a loopback forwarder in a separate pass
 * of {@value #BYTES_CALLS} calls per wire and connection mode (at concurrency 64), so that the
 * forwarder's cost is not in the timed runs. The batch step sends {@value #BATCH} authorizations
 * per batch: one gRPC AuthorizeStream (requests streamed, then half-closed) against one
 * POST /authorizations/batch. Only 127.0.0.1 is contacted; bounded in time; prints markdown.
 */
public final class GrpcBench {
    private static final int GRPC_POOL = 8;
    private static final int BATCH = 100;
    private static final int BYTES_CALLS = 3000;
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final String HOST = "127.0.0.1";
    private static final AtomicLong KEYS = new AtomicLong();
    private static final String RUN = Long.toHexString(System.nanoTime());

    /** One caller's way of making one call (or one batch); returns the authorizations it made. */
    interface Caller {
        int call() throws Exception;
    }

    /** A wire and connection mode, opened against a port; {@link #caller} gives caller i its way to call. */
    interface Client extends AutoCloseable {
        Caller caller(int i) throws IOException;

        @Override
        void close();
    }

    interface ClientFactory {
        Client open(int port, int concurrency) throws IOException;
    }

    record Result(String wire, String mode, int concurrency, long calls, long authorizations, double seconds,
                  double p50ms, double p99ms, double cpuUsPerAuthorization, long errors, long reconnects) {
        double rate() {
            return calls / seconds;
        }

        double authorizationRate() {
            return authorizations / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: GrpcBench GRPC_PORT HTTP_PORT GATEWAY_PID [WARMUP_S] [MEASURE_S]");
            System.exit(2);
        }
        int grpcPort = Integer.parseInt(args[0]);
        int httpPort = Integer.parseInt(args[1]);
        ProcessHandle gateway = ProcessHandle.of(Long.parseLong(args[2]))
                .orElseThrow(() -> new IllegalArgumentException("no process " + args[2]));
        Duration warmup = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 10);
        Duration measure = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 10);

        ClientFactory grpcSingle = (port, c) -> new GrpcClient(port, 1, false);
        ClientFactory grpcPool = (port, c) -> new GrpcClient(port, GRPC_POOL, false);
        ClientFactory restSingle = (port, c) -> new RestClient(port, true, false);
        ClientFactory restPool = (port, c) -> new RestClient(port, false, false);

        log("warm-up: %d s per wire at concurrency 64 (pool)", warmup.toSeconds());
        run("grpc", "pool", grpcPool, grpcPort, 64, Duration.ZERO, warmup, gateway);
        run("rest", "pool", restPool, httpPort, 64, Duration.ZERO, warmup, gateway);

        List<Result> results = new ArrayList<>();
        for (int c : new int[] {1, 64, 256}) {
            results.add(run("grpc", "single", grpcSingle, grpcPort, c, SETTLE, measure, gateway));
            results.add(run("rest", "single", restSingle, httpPort, c, SETTLE, measure, gateway));
            if (c > 1) {
                results.add(run("grpc", "pool", grpcPool, grpcPort, c, SETTLE, measure, gateway));
                results.add(run("rest", "pool", restPool, httpPort, c, SETTLE, measure, gateway));
            }
        }
        List<Result> batches = new ArrayList<>();
        ClientFactory stream = (port, c) -> new GrpcClient(port, 1, true);
        ClientFactory restBatch = (port, c) -> new RestClient(port, false, true);
        for (int c : new int[] {1, 8}) {
            batches.add(run("grpc stream", "single", stream, grpcPort, c, SETTLE, measure, gateway));
            batches.add(run("rest batch", "pool", restBatch, httpPort, c, SETTLE, measure, gateway));
        }

        log("bytes on the wire: %d calls per wire and mode through a counting forwarder", BYTES_CALLS);
        String[][] wires = {{"grpc", "single"}, {"grpc", "pool"}, {"rest", "single"}, {"rest", "pool"}};
        ClientFactory[] factories = {grpcSingle, grpcPool, restSingle, restPool};
        int[] ports = {grpcPort, grpcPort, httpPort, httpPort};
        double[] bytes = new double[wires.length];
        for (int i = 0; i < wires.length; i++) {
            bytes[i] = bytesPerAuthorization(factories[i], ports[i], 64, BYTES_CALLS);
        }
        double streamBytes = bytesPerAuthorization(stream, grpcPort, 8, BYTES_CALLS / BATCH);
        double batchBytes = bytesPerAuthorization(restBatch, httpPort, 8, BYTES_CALLS / BATCH);

        System.out.println();
        System.out.println("### One authorize per call");
        System.out.println();
        System.out.println("| wire | connections | concurrency | calls/s | p50 ms | p99 ms | gateway CPU µs/call | errors | REST reconnects |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %.0f | %d | %d |%n", r.wire(), r.mode(),
                    r.concurrency(), r.rate(), r.p50ms(), r.p99ms(), r.cpuUsPerAuthorization(), r.errors(), r.reconnects());
        }
        System.out.println();
        System.out.println("| wire | connections | bytes on the wire per call (both ways, TCP payload) |");
        System.out.println("|---|---|---:|");
        for (int i = 0; i < wires.length; i++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f |%n", wires[i][0], wires[i][1], bytes[i]);
        }
        System.out.println();
        System.out.printf("### %d authorizations per batch%n%n", BATCH);
        System.out.println("| variant | batches in flight | authorizations/s | batch p50 ms | batch p99 ms | gateway CPU µs/authorization | bytes/authorization | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : batches) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.0f | %.0f | %d |%n", r.wire(), r.concurrency(),
                    r.authorizationRate(), r.p50ms(), r.p99ms(), r.cpuUsPerAuthorization(),
                    r.wire().startsWith("grpc") ? streamBytes : batchBytes, r.errors());
        }
    }

    /** Runs C callers for settle + measure; only the measure window is counted. */
    static Result run(String wire, String mode, ClientFactory factory, int port, int concurrency, Duration settle,
                      Duration measure, ProcessHandle gateway) throws Exception {
        try (Client client = factory.open(port, concurrency)) {
            long start = System.nanoTime();
            long measureFrom = start + settle.toNanos();
            long end = measureFrom + measure.toNanos();
            long[][] latencies = new long[concurrency][];
            int[] counts = new int[concurrency];
            LongAdder authorizations = new LongAdder();
            LongAdder errors = new LongAdder();
            CountDownLatch settled = new CountDownLatch(1);
            long[] cpuAt = new long[2];
            Thread timer = Thread.ofVirtual().start(() -> {
                sleepUntil(measureFrom);
                cpuAt[0] = cpuNanos(gateway);
                settled.countDown();
                sleepUntil(end);
                cpuAt[1] = cpuNanos(gateway);
            });
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                int me = i;
                Caller caller = client.caller(i);
                latencies[me] = new long[1024];
                callers.add(Thread.ofVirtual().start(() -> {
                    while (true) {
                        long sent = System.nanoTime();
                        if (sent >= end) {
                            return;
                        }
                        int made;
                        try {
                            made = caller.call();
                        } catch (Exception e) {
                            made = -1;
                        }
                        long answered = System.nanoTime();
                        if (sent < measureFrom || answered > end) {
                            continue;
                        }
                        if (made < 0) {
                            errors.increment();
                            continue;
                        }
                        authorizations.add(made);
                        if (counts[me] == latencies[me].length) {
                            latencies[me] = Arrays.copyOf(latencies[me], counts[me] * 2);
                        }
                        latencies[me][counts[me]++] = answered - sent;
                    }
                }));
            }
            settled.await();
            timer.join();
            for (Thread t : callers) {
                t.join();
            }
            long cpu = cpuAt[1] - cpuAt[0];
            long[] all = new long[Arrays.stream(counts).sum()];
            int at = 0;
            for (int i = 0; i < concurrency; i++) {
                System.arraycopy(latencies[i], 0, all, at, counts[i]);
                at += counts[i];
            }
            Arrays.sort(all);
            double seconds = measure.toNanos() / 1e9;
            long made = authorizations.sum();
            Result r = new Result(wire, mode, concurrency, all.length, made, seconds, percentile(all, 0.50),
                    percentile(all, 0.99), made == 0 ? 0 : cpu / 1e3 / made, errors.sum(),
                    RestConnection.RECONNECTS.sumThenReset());
            if (!settle.isZero()) {
                log("%-11s %-6s c=%-3d %8.0f calls/s  p50 %7.2f ms  p99 %7.2f ms  cpu %5.0f µs/authorization  errors %d  reconnects %d",
                        wire, mode, concurrency, r.rate(), r.p50ms(), r.p99ms(), r.cpuUsPerAuthorization(), r.errors(),
                        r.reconnects());
            }
            return r;
        }
    }

    /** TCP payload bytes (both ways) per authorization, through a counting loopback forwarder. */
    static double bytesPerAuthorization(ClientFactory factory, int port, int concurrency, int calls) throws Exception {
        try (CountingForwarder forwarder = new CountingForwarder(port);
             Client client = factory.open(forwarder.port(), concurrency)) {
            AtomicLong left = new AtomicLong(calls);
            LongAdder made = new LongAdder();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                Caller caller = client.caller(i);
                callers.add(Thread.ofVirtual().start(() -> {
                    while (left.getAndDecrement() > 0) {
                        try {
                            made.add(caller.call());
                        } catch (Exception e) {
                            // counted as not made; the bytes it used still count, so a failing run shows up as more bytes
                        }
                    }
                }));
            }
            for (Thread t : callers) {
                t.join();
            }
            client.close();
            forwarder.awaitQuiet();
            return (double) forwarder.bytes() / Math.max(1, made.sum());
        }
    }

    static AuthorizeRequest authorizeRequest() {
        long n = KEYS.incrementAndGet();
        return AuthorizeRequest.newBuilder()
                .setProcessorKey("bench-" + RUN + "-" + n)
                .setReference("pay_bench" + n)
                .setAmountMinor(1999)
                .setCurrency("usd")
                .setPaymentMethod("pm_card_visa")
                .setCapture(true)
                .build();
    }

    /** The same authorization as JSON, in HttpPaymentProcessor's shape. */
    static String authorizeJson(AuthorizeRequest r, boolean withKey) {
        return "{" + (withKey ? "\"idempotency_key\":\"" + r.getProcessorKey() + "\"," : "")
                + "\"amount\":" + r.getAmountMinor() + ",\"currency\":\"" + r.getCurrency()
                + "\",\"payment_method\":\"" + r.getPaymentMethod() + "\",\"capture\":" + r.getCapture()
                + ",\"reference\":\"" + r.getReference() + "\"}";
    }

    static final class GrpcClient implements Client {
        private final ManagedChannel[] channels;
        private final boolean stream;
        private final AtomicLong next = new AtomicLong();

        GrpcClient(int port, int connections, boolean stream) {
            this.stream = stream;
            channels = new ManagedChannel[connections];
            for (int i = 0; i < connections; i++) {
                channels[i] = NettyChannelBuilder.forAddress(HOST, port).usePlaintext().build();
            }
        }

        @Override
        public Caller caller(int i) {
            if (stream) {
                ProcessorBatchGrpc.ProcessorBatchStub stub = ProcessorBatchGrpc.newStub(channels[i % channels.length]);
                return () -> streamBatch(stub);
            }
            return () -> {
                ManagedChannel channel = channels[(int) (next.getAndIncrement() % channels.length)];
                AuthorizeReply reply = ProcessorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .authorize(authorizeRequest());
                if (!reply.hasApproved()) {
                    throw new IllegalStateException("not approved: " + reply);
                }
                return 1;
            };
        }

        private static int streamBatch(ProcessorBatchGrpc.ProcessorBatchStub stub) throws Exception {
            CountDownLatch done = new CountDownLatch(1);
            int[] approved = new int[1];
            Throwable[] failure = new Throwable[1];
            StreamObserver<AuthorizeRequest> requests = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .authorizeStream(new StreamObserver<>() {
                        @Override
                        public void onNext(AuthorizeReply reply) {
                            if (reply.hasApproved()) {
                                approved[0]++;
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            failure[0] = t;
                            done.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            done.countDown();
                        }
                    });
            for (int i = 0; i < BATCH; i++) {
                requests.onNext(authorizeRequest());
            }
            requests.onCompleted();
            done.await();
            if (failure[0] != null || approved[0] != BATCH) {
                throw new IllegalStateException("stream: " + approved[0] + " approved, failure " + failure[0]);
            }
            return BATCH;
        }

        @Override
        public void close() {
            for (ManagedChannel c : channels) {
                c.shutdownNow();
            }
            for (ManagedChannel c : channels) {
                try {
                    c.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** HTTP/1.1 keep-alive connections written by hand, so a "single connection" really is one. */
    static final class RestClient implements Client {
        private final int port;
        private final boolean shared;
        private final boolean batch;
        private final List<RestConnection> opened = new ArrayList<>();
        private RestConnection sharedConnection;

        RestClient(int port, boolean shared, boolean batch) {
            this.port = port;
            this.shared = shared;
            this.batch = batch;
        }

        @Override
        public synchronized Caller caller(int i) throws IOException {
            RestConnection connection;
            if (shared) {
                if (sharedConnection == null) {
                    sharedConnection = open();
                }
                connection = sharedConnection;
            } else {
                connection = open();
            }
            if (batch) {
                return () -> {
                    StringBuilder body = new StringBuilder("{\"authorizations\":[");
                    for (int n = 0; n < BATCH; n++) {
                        body.append(n == 0 ? "" : ",").append(authorizeJson(authorizeRequest(), true));
                    }
                    String answer = connection.post("/authorizations/batch", null, body.append("]}").toString(), 200);
                    int approved = count(answer, "\"status\":\"approved\"");
                    if (approved != BATCH) {
                        throw new IllegalStateException("batch: " + approved + " approved");
                    }
                    return BATCH;
                };
            }
            return () -> {
                AuthorizeRequest r = authorizeRequest();
                String answer = connection.post("/authorizations", r.getProcessorKey(), authorizeJson(r, false), 201);
                if (!answer.contains("\"status\":\"approved\"")) {
                    throw new IllegalStateException("not approved: " + answer);
                }
                return 1;
            };
        }

        private RestConnection open() throws IOException {
            RestConnection c = new RestConnection(port);
            opened.add(c);
            return c;
        }

        private static int count(String text, String needle) {
            int n = 0;
            for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
                n++;
            }
            return n;
        }

        @Override
        public synchronized void close() {
            opened.forEach(RestConnection::close);
        }
    }

    /**
     * One keep-alive connection. The JDK HttpServer closes a connection after its response when it
     * already holds 200 idle ones (sun.net.httpserver.maxIdleConnections), so above ~200 connections
     * some find theirs closed on the next request: like any pooled client, this one then reconnects
     * and sends again (safe: the processor key makes the call idempotent), and counts it.
     */
    static final class RestConnection {
        static final LongAdder RECONNECTS = new LongAdder();
        private final int port;
        private final String host;
        private final ReentrantLock turn = new ReentrantLock(true);
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        RestConnection(int port) throws IOException {
            this.port = port;
            host = HOST + ":" + port;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket(HOST, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        String post(String path, String key, String json, int expected) throws IOException {
            turn.lock();
            try {
                try {
                    return exchange(path, key, json, expected);
                } catch (Closed e) {
                    RECONNECTS.increment();
                    close();
                    connect();
                    return exchange(path, key, json, expected);
                }
            } finally {
                turn.unlock();
            }
        }

        /** The server had closed the connection before answering. */
        static final class Closed extends IOException {
            Closed() {
                super("connection closed", null);
            }
        }

        private String exchange(String path, String key, String json, int expected) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + (key == null ? "" : "Idempotency-Key: " + key + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            int first;
            try {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                first = in.read();
            } catch (IOException e) {
                throw new Closed();
            }
            if (first < 0) {
                throw new Closed();
            }
            String status = (char) first + line();
            int length = -1;
            for (String h = line(); !h.isEmpty(); h = line()) {
                if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(h.substring(15).strip());
                }
            }
            if (length < 0) {
                throw new IOException("no Content-Length in the answer to " + path);
            }
            String answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            if (!status.startsWith("HTTP/1.1 " + expected)) {
                throw new IOException(status + ": " + answer);
            }
            return answer;
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    s.append((char) b);
                }
            }
            return s.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing at the end of a run
            }
        }
    }

    /** A loopback TCP forwarder that counts the payload bytes it carries both ways. */
    static final class CountingForwarder implements AutoCloseable {
        private final ServerSocket server;
        private final LongAdder bytes = new LongAdder();
        private final AtomicLong lastByteAt = new AtomicLong(System.nanoTime());
        private final List<Socket> sockets = new ArrayList<>();

        CountingForwarder(int targetPort) throws IOException {
            server = new ServerSocket(0, 512, InetAddress.getByName(HOST));
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket target = new Socket(HOST, targetPort);
                        client.setTcpNoDelay(true);
                        target.setTcpNoDelay(true);
                        synchronized (sockets) {
                            sockets.add(client);
                            sockets.add(target);
                        }
                        Thread.ofVirtual().start(() -> pump(client, target));
                        Thread.ofVirtual().start(() -> pump(target, client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        long bytes() {
            return bytes.sum();
        }

        /** Waits until nothing has moved for 300 ms (the client's goodbye frames included), at most 5 s. */
        void awaitQuiet() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() - lastByteAt.get() < TimeUnit.MILLISECONDS.toNanos(300)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    bytes.add(n);
                    lastByteAt.set(System.nanoTime());
                }
            } catch (IOException ignored) {
                // one side closed: the other pump ends too
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for " + p.pid()))
                .toNanos();
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }
}
