package dev.breakwater.ops;

import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Operator endpoints outside the versioned API, without auth: readiness, the published contracts and the versioning guide. */
public final class OpsHandlers {
    private final byte[] v1Spec = resource("/openapi/v1.yaml");
    private final byte[] v2Spec = resource("/openapi/v2.yaml");
    private final byte[] versioningGuide = resource("/docs/versioning.md");

    public Response health(Request request) {
        return Response.json(200, Map.of("status", "ok"));
    }

    public Response v1Spec(Request request) {
        return new Response(200, Map.of("Content-Type", "application/yaml"), v1Spec);
    }

    public Response v2Spec(Request request) {
        return new Response(200, Map.of("Content-Type", "application/yaml"), v2Spec);
    }

    /** GET /docs/versioning: where v1's {@code rel="deprecation"} and {@code rel="sunset"} links lead. */
    public Response versioningGuide(Request request) {
        return new Response(200, Map.of("Content-Type", "text/markdown; charset=utf-8"), versioningGuide);
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpsHandlers.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
