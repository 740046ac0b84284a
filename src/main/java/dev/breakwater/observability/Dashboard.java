package dev.breakwater.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.common.Json;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import dev.breakwater.versions.ApiVersion;
import dev.breakwater.versions.Lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The built-in dashboard for a single-binary run without Grafana: a static page (Chart.js from
 * its WebJar, served from the jar, no CDN) that polls {@code /dashboard/data}.
 */
final class Dashboard {
    private static final String CHART_JS_POM = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    /** Scripts and styles only from this origin; the page fetches nothing else. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final DashboardHistory history;
    private final JsonNode v1Sunset;
    private final byte[] page;
    private final Map<String, Asset> assets;

    private record Asset(String contentType, byte[] bytes) {
    }

    /** {@code v1Lifecycle} is null when v1 is not deprecated; the page then shows no sunset. */
    Dashboard(DashboardHistory history, Lifecycle v1Lifecycle) {
        this.history = history;
        this.v1Sunset = sunset(ApiVersion.V1, ApiVersion.V2, v1Lifecycle);
        this.page = resource("/dashboard/index.html");
        this.assets = Map.of(
                "dashboard.js", new Asset("text/javascript; charset=utf-8", resource("/dashboard/dashboard.js")),
                "dashboard.css", new Asset("text/css; charset=utf-8", resource("/dashboard/dashboard.css")),
                "chart.umd.min.js", new Asset("text/javascript; charset=utf-8", resource(
                        "/META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.min.js")));
    }

    Response page(Request request) {
        return new Response(200, Map.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-store",
                "Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff"), page);
    }

    Response asset(Request request) {
        Asset asset = assets.get(request.pathParam("name"));
        if (asset == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No dashboard asset " + request.pathParam("name") + ".");
        }
        return new Response(200, Map.of("Content-Type", asset.contentType(), "Cache-Control", "max-age=300",
                "X-Content-Type-Options", "nosniff"), asset.bytes());
    }

    Response data(Request request) {
        long since = 0;
        List<String> values = request.query().getOrDefault("since", List.of());
        if (values.size() > 1) {
            // As the /v1 lists do: which of two values was meant is the client's to say, not ours to guess.
            throw new ProblemException(ProblemType.INVALID_PARAMETER, "Send since at most once.");
        }
        if (!values.isEmpty()) {
            try {
                since = Long.parseLong(values.get(0));
            } catch (NumberFormatException e) {
                since = -1;
            }
            if (since < 0) {
                throw new ProblemException(ProblemType.INVALID_PARAMETER,
                        "since must be a non-negative Unix time in milliseconds.");
            }
        }
        history.maybeSample();
        ObjectNode json = history.toJson(since);
        ((ObjectNode) json.get("api_versions")).set("sunset", v1Sunset);
        return new Response(200, Map.of("Content-Type", Response.JSON, "Cache-Control", "no-store"),
                Json.write(json));
    }

    /** The configured dates, so that the table of who still calls the version says by when they must move. */
    private static JsonNode sunset(ApiVersion version, ApiVersion successor, Lifecycle lifecycle) {
        if (lifecycle == null) {
            return NullNode.getInstance();
        }
        ObjectNode out = Json.object();
        out.put("version", version.label());
        out.put("successor", successor.label());
        out.put("deprecated_at", lifecycle.deprecatedAt().toString());
        out.put("sunset_at", lifecycle.sunsetAt().toString());
        return out;
    }

    private static String chartJsVersion() {
        Properties properties = new Properties();
        try (InputStream in = Dashboard.class.getResourceAsStream(CHART_JS_POM)) {
            if (in == null) {
                throw new IllegalStateException("the Chart.js WebJar is missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
