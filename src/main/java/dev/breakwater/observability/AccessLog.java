package dev.breakwater.observability;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.breakwater.common.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One JSON line per finished request on the console. Only the fields of {@link CompletedRequest}
 * are written: never headers (Authorization), bodies (payment_method tokens) or query strings,
 * and not the request notes wholesale, so a note added later cannot leak a secret by accident.
 *
 * <p>The request thread only offers its {@link CompletedRequest} (immutable) to a bounded queue:
 * formatting and a locked {@code println} per request were ~4% of a 429 storm's CPU, plus
 * contention on the stream's lock. One platform thread, {@code access-log}, takes whatever has
 * queued up, formats it into one buffer and writes it with one write and one flush; when it has
 * emptied the queue it sleeps {@link #FLUSH_INTERVAL} before looking again. A line therefore
 * reaches the console at most about {@code FLUSH_INTERVAL} after its request finished, unless the
 * console itself is slower than the traffic.
 *
 * <p>When the queue is full (the console stalled, or cannot keep up) a line is dropped rather
 * than blocking the request or growing memory: counted in {@value #DROPPED} and reported once on
 * the log when dropping starts and once when it ends.
 *
 * <p>{@link #close()} drains the queue, writes and flushes everything before it returns, so a
 * clean stop loses no line of a request that finished before it. {@code kill -9} loses what was
 * still queued or in the batch being written: the lines of roughly the last {@code FLUSH_INTERVAL}
 * plus any backlog the console had not absorbed ({@code load/access-log-kill.sh} measures it,
 * docs/performance.md).
 */
final class AccessLog implements AutoCloseable {
    /**
     * About 4 s of the fastest 429 storm measured here (~16,000 rejections/s, docs/performance.md):
     * enough to ride out a console pause of a few seconds, and at roughly 200 bytes per queued
     * request at most ~13 MB of heap.
     */
    static final int CAPACITY = 65_536;
    /** How long the writer sleeps once it has emptied the queue: the most a line waits, idle. */
    static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);
    /** Lines per write at most (about 1 MB), so one batch's buffer stays small under a backlog. */
    static final int MAX_BATCH = 4_096;
    static final String DROPPED = "breakwater.access.log.dropped";
    private static final System.Logger LOG = System.getLogger(AccessLog.class.getName());

    private final PrintStream out;
    private final BlockingQueue<CompletedRequest> queue;
    private final LongAdder dropped = new LongAdder();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    private final int capacity;
    private final Thread writer;
    private volatile boolean closed;

    private AccessLog(PrintStream out, int capacity) {
        this.out = out;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofPlatform().name("access-log").daemon().unstarted(this::run);
    }

    /** A started access log on {@code out}, queueing up to {@link #CAPACITY} lines. */
    static AccessLog start(PrintStream out) {
        return start(out, CAPACITY);
    }

    static AccessLog start(PrintStream out, int capacity) {
        AccessLog log = new AccessLog(out, capacity);
        log.writer.start();
        return log;
    }

    /** Queues the line; never blocks. A line that finds the queue full, or the log closed, is dropped and counted. */
    void write(CompletedRequest request) {
        if (closed || !queue.offer(request)) {
            dropped.increment();
        }
    }

    /** Lines dropped so far. */
    long dropped() {
        return dropped.sum();
    }

    /** Writes every queued line, flushes, and stops the writer; idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: returning early would lose lines close() promises to write
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<CompletedRequest> batch = new ArrayList<>(MAX_BATCH);
        long seen = 0; // dropped lines the writer has already looked at
        long episodeStart = 0; // dropped lines before the current dropping episode
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(buffer)) {
            json.setRootValueSeparator(null); // each line starts with '{', not a separating space
            while (true) {
                // Read before draining: whatever was queued before close() is in this drain or a later one.
                boolean closing = closed;
                queue.drainTo(batch, MAX_BATCH);
                if (!batch.isEmpty()) {
                    writeBatch(json, batch);
                    batch.clear();
                }
                boolean caughtUp = queue.isEmpty();
                long now = dropped.sum();
                if (now > seen && seen == episodeStart) {
                    LOG.log(Level.WARNING, "access log queue full (" + capacity + " lines): dropping lines until the"
                            + " console catches up, counted in " + DROPPED);
                } else if (now == seen && seen > episodeStart && caughtUp) {
                    LOG.log(Level.WARNING, "access log writing again; " + (now - episodeStart) + " lines dropped");
                    episodeStart = now;
                }
                seen = now;
                if (caughtUp) {
                    if (closing) {
                        break;
                    }
                    LockSupport.parkNanos(this, FLUSH_INTERVAL.toNanos());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Cannot happen with a byte buffer and these field types; if it does, say so and count
            // every later line as dropped rather than let the queue fill silently.
            closed = true;
            LOG.log(Level.ERROR, "access log writer failed; later lines are dropped (" + DROPPED + ")", e);
            dropped.add(batch.size());
            while (queue.poll() != null) {
                dropped.increment();
            }
            return;
        }
        long total = dropped.sum();
        if (total > 0) {
            LOG.log(Level.WARNING, "access log closed; " + total + " lines dropped since start");
        }
    }

    /** One locked write and one flush per batch (PrintStream locks per call, so lines never interleave). */
    private void writeBatch(JsonGenerator json, List<CompletedRequest> batch) throws IOException {
        for (CompletedRequest request : batch) {
            format(json, request);
        }
        json.flush();
        buffer.writeTo(out); // one out.write of the whole buffer, no copy
        out.flush();
        buffer.reset();
    }

    /** The field names, encoded once: a name written from a String is checked for escapes char by char. */
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString LOG_FIELD = new SerializedString("log");
    private static final SerializedString REQUEST_ID = new SerializedString("request_id");
    private static final SerializedString ACCOUNT = new SerializedString("account");
    private static final SerializedString METHOD = new SerializedString("method");
    private static final SerializedString ROUTE = new SerializedString("route");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString LATENCY_MS = new SerializedString("latency_ms");
    private static final SerializedString IDEMPOTENCY = new SerializedString("idempotency");
    private static final SerializedString RATELIMIT = new SerializedString("ratelimit");
    private static final SerializedString PROBLEM_TYPE = new SerializedString("problem_type");
    private static final SerializedString ACCESS = new SerializedString("access");

    /** The same fields, order and number format the ObjectNode-based line had (Json.MAPPER's factory). */
    private static void format(JsonGenerator json, CompletedRequest request) throws IOException {
        json.writeStartObject();
        field(json, TIMESTAMP, request.timestamp().toString());
        json.writeFieldName(LOG_FIELD);
        json.writeString(ACCESS);
        field(json, REQUEST_ID, request.requestId());
        field(json, ACCOUNT, request.account());
        field(json, METHOD, request.method());
        field(json, ROUTE, request.route());
        json.writeFieldName(STATUS);
        json.writeNumber(request.status());
        json.writeFieldName(LATENCY_MS);
        json.writeNumber(Math.round(request.latencyNanos() / 1_000.0) / 1_000.0);
        field(json, IDEMPOTENCY, request.idempotency());
        field(json, RATELIMIT, request.rateLimit());
        field(json, PROBLEM_TYPE, request.problemType());
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static void field(JsonGenerator json, SerializedString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value);
    }
}
