package dev.breakwater.observability;

import com.sun.net.httpserver.Headers;
import dev.breakwater.domain.Ids;
import dev.breakwater.http.HttpApi;
import dev.breakwater.http.Problems;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.Router;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import dev.breakwater.store.Database;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Observability without the server, for what the server on this branch cannot produce yet: the
 * rate limiter's notes. Feeds the request observer exactly what HttpApi would hand it.
 */
final class ObservabilityFixture implements AutoCloseable {
    private final Path dir;
    private final Database database;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final Observability observability;
    private final HttpApi.RequestObserver observer;

    ObservabilityFixture() {
        this(null);
    }

    /** With {@code console} as the console, or (null) one {@link #consoleText()} reads. */
    ObservabilityFixture(PrintStream console) {
        try {
            dir = Files.createTempDirectory("breakwater-observability");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database = Database.open(dir, 2);
        observability = Observability.create(ObservabilityConfig.DEFAULTS, null, database, Clock.systemUTC(),
                console != null ? console : new PrintStream(this.console, true, StandardCharsets.UTF_8));
        observer = observability.requestObserver(new Router());
    }

    /** A finished /v1 request on {@code route} that the filters noted {@code notes} on, answered with {@code problem}. */
    void completed(String method, String route, ProblemType problem, Map<String, String> notes) {
        Request request = request(method, route);
        request.authenticatedAs("acct_a");
        request.routedTo(route, Map.of());
        notes.forEach(request::note);
        Response response = Problems.render(new ProblemException(problem, "test"), request.requestId());
        observer.completed(request, response);
    }

    PrometheusText scrape() {
        Response response = observability.metrics(request("GET", "/metrics"));
        return PrometheusText.parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    /** Everything on the console, once the access log has written its queue (so nothing is logged after this). */
    String consoleText() {
        observability.close();
        return console.toString(StandardCharsets.UTF_8);
    }

    private static Request request(String method, String path) {
        return new Request(Ids.next(Ids.REQUEST), method, path, null, new Headers(), new byte[0],
                new InetSocketAddress("127.0.0.1", 40000), System.nanoTime());
    }

    @Override
    public void close() {
        observability.close();
        database.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }
}
