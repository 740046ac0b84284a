package dev.breakwater.versions;

import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Tells every caller of a retiring version so, on every response (success and problem alike,
 * a 401 or 429 included, so it runs before those filters): {@code Deprecation}, {@code Sunset}
 * and their {@code Link}s, plus the successor's path. From the sunset instant on, the version
 * answers 410 with a problem that points at the same resource in the successor version.
 */
public final class VersionLifecycle implements Filter {
    private final ApiVersion version;
    private final ApiVersion successor;
    private final Lifecycle lifecycle;
    private final Clock clock;
    private final String deprecation;
    private final String sunset;
    private final String links;

    public VersionLifecycle(ApiVersion version, ApiVersion successor, Lifecycle lifecycle, Clock clock) {
        this.version = version;
        this.successor = successor;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.deprecation = lifecycle.deprecationHeader();
        this.sunset = lifecycle.sunsetHeader();
        this.links = lifecycle.linkHeader();
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (ApiVersion.of(request.path()).orElse(null) != version) {
            return next.handle(request);
        }
        String successorPath = successor.prefix() + request.path().substring(version.prefix().length());
        request.addResponseHeader("Deprecation", deprecation);
        request.addResponseHeader("Sunset", sunset);
        request.addResponseHeader("Link", links + ", <" + successorPath + ">; rel=\"successor-version\"");
        if (!clock.instant().isBefore(lifecycle.sunsetAt())) {
            throw new ProblemException(ProblemType.API_VERSION_SUNSET, version.label() + " was retired on " + sunset
                    + ". Use " + successor.label() + ": this resource is at " + successorPath + " (migration guide: "
                    + Lifecycle.GUIDE + ").", List.of(), Map.of("successor_version", successorPath), Map.of());
        }
        return next.handle(request);
    }
}
