package dev.breakwater.ops;

import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Operator endpoints outside /v1, without auth: readiness and the published contract. */
public final class OpsHandlers {
    private final byte[] spec;

    public OpsHandlers() {
        try (InputStream in = OpsHandlers.class.getResourceAsStream("/openapi/v1.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi/v1.yaml is missing from the classpath");
            }
            spec = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response health(Request request) {
        return Response.json(200, Map.of("status", "ok"));
    }

    public Response spec(Request request) {
        return new Response(200, Map.of("Content-Type", "application/yaml"), spec);
    }
}
