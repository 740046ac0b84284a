package dev.breakwater.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.breakwater.domain.Ids;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one {@link HttpHandler} behind the server's single {@code /} context. It reads the body
 * (bounded, always drained), runs the filter pipeline, and is the outermost error boundary:
 * every failure becomes an RFC 9457 problem, an unknown one a 500 logged with its request id, so
 * no exception ever reaches the JDK server (which would drop the connection).
 */
public final class HttpApi implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());
    /** Bodies up to this size are read to the end even when too large, so the 413 reaches the client. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private static final byte[] NO_BODY = new byte[0];
    /**
     * List-valued fields (RFC 9110 section 5.3) that both a filter and the handler may set: the
     * handler's values come first (a list's {@code rel="next"}), a filter's follow (a version's
     * deprecation links). Every other filter header replaces the handler's.
     */
    private static final List<String> COMBINED_FIELDS = List.of("Link");

    private final Handler pipeline;
    private final int maxBodyBytes;
    private final RequestObserver observer;
    private volatile boolean draining;
    /** Exchanges between arrival and a written response: what a stop waits for (see {@link #awaitIdle}). */
    private final AtomicInteger open = new AtomicInteger();

    /** Sees every finished request: the hook for access logs, metrics and JFR events. */
    public interface RequestObserver {
        RequestObserver NONE = (request, response) -> { };

        void completed(Request request, Response response);
    }

    public HttpApi(Handler pipeline, int maxBodyBytes, RequestObserver observer) {
        this.pipeline = pipeline;
        this.maxBodyBytes = maxBodyBytes;
        this.observer = observer;
    }

    /**
     * From now on every response closes its connection. The JDK server, once stopping, takes no
     * new connections but keeps serving requests on kept-alive ones, so without this a busy
     * client would keep a stopping server busy until its drain time ran out; with it each
     * connection gets one more answer, and its client reconnects (to another node).
     */
    public void drain() {
        draining = true;
    }

    /** Whether {@link #drain} was called: the node is stopping (readiness says so). */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Waits until no exchange is open or the deadline passes, whichever is first: for a server
     * whose own stop does not wait for them ({@link ServerProvider#stop}).
     *
     * @return whether it went idle before the deadline
     */
    public boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (open.get() > 0) {
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return true;
    }

    @Override
    public void handle(HttpExchange exchange) {
        open.incrementAndGet();
        try {
            serve(exchange);
        } finally {
            open.decrementAndGet();
        }
    }

    private void serve(HttpExchange exchange) {
        long start = System.nanoTime();
        String requestId = Ids.nextRequestId();
        Request request = null;
        Response response;
        try {
            URI uri = exchange.getRequestURI();
            byte[] body = readBody(exchange);
            request = new Request(requestId, exchange.getRequestMethod(), uri.getRawPath() == null ? "" : decodePath(uri),
                    uri.getRawQuery(), exchange.getRequestHeaders(), body, exchange.getRemoteAddress(), start);
            response = pipeline.handle(request);
        } catch (Throwable failure) {
            response = toResponse(failure, requestId, exchange);
        }
        if (request == null) {
            request = new Request(requestId, exchange.getRequestMethod(), String.valueOf(exchange.getRequestURI().getRawPath()),
                    null, exchange.getRequestHeaders(), new byte[0], exchange.getRemoteAddress(), start);
        }
        write(exchange, response, request.responseHeaders(), requestId);
        try {
            observer.completed(request, response);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request observer failed for " + requestId, e);
        }
    }

    private static String combined(String name, String fromFilters, Response response) {
        if (!COMBINED_FIELDS.contains(name)) {
            return fromFilters;
        }
        String own = response.header(name);
        return own == null ? fromFilters : own + ", " + fromFilters;
    }

    private static String decodePath(URI uri) {
        String path = uri.getPath();
        return path == null ? "" : path;
    }

    private Response toResponse(Throwable failure, String requestId, HttpExchange exchange) {
        ProblemException problem = Problems.toProblem(failure);
        if (problem != null) {
            return Problems.render(problem, requestId);
        }
        LOG.log(Level.ERROR, "request " + requestId + " " + exchange.getRequestMethod() + " "
                + exchange.getRequestURI().getRawPath() + " failed", failure);
        return Problems.internalError(requestId);
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
        }
        InputStream in = exchange.getRequestBody();
        if (length > DRAIN_LIMIT) {
            // Reading it all would cost more than it is worth: answer, then close the connection.
            exchange.getResponseHeaders().set("Connection", "close");
            throw tooLarge();
        }
        if (length == 0 || (length < 0 && exchange.getRequestHeaders().getFirst("Transfer-Encoding") == null)) {
            // No body (RFC 9112 section 6.3): skip the read and its buffer, ~7% of a rejected GET's CPU.
            return NO_BODY;
        }
        byte[] buffer = in.readNBytes(length >= 0 && length <= maxBodyBytes ? (int) length + 1 : maxBodyBytes + 1);
        if (buffer.length > maxBodyBytes) {
            long drained = buffer.length;
            byte[] scratch = new byte[8192];
            int n;
            while (drained <= DRAIN_LIMIT && (n = in.read(scratch)) >= 0) {
                drained += n;
            }
            if (drained > DRAIN_LIMIT) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            throw tooLarge();
        }
        return buffer;
    }

    private ProblemException tooLarge() {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                "Request bodies are limited to " + maxBodyBytes + " bytes.", List.of(), Map.of(), Map.of());
    }

    /**
     * Writes the response with the filters' headers ({@code fromFilters}) and the request id
     * straight onto the exchange, without merging them into one more map first: a 429 is mostly
     * headers (docs/performance.md).
     */
    private void write(HttpExchange exchange, Response response, Map<String, String> fromFilters, String requestId) {
        try (exchange) {
            Headers headers = exchange.getResponseHeaders();
            response.headers().forEach(headers::set);
            fromFilters.forEach((name, value) -> headers.set(name, combined(name, value, response)));
            headers.set("Request-Id", requestId);
            if (draining) {
                headers.set("Connection", "close");
            }
            byte[] body = response.body();
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.status(), body.length == 0 || head ? -1 : body.length);
            if (body.length > 0 && !head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or headers were already out: nothing more can be said on this exchange.
            LOG.log(Level.DEBUG, "could not write response", e);
        }
    }
}
