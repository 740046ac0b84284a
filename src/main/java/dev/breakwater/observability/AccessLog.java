package dev.breakwater.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.common.Json;

import java.io.PrintStream;

/**
 * One JSON line per finished request on stdout. Only the fields of {@link CompletedRequest} are
 * written: never headers (Authorization), bodies (payment_method tokens) or query strings, and
 * not the request notes wholesale, so a note added later cannot leak a secret by accident.
 */
final class AccessLog {
    private final PrintStream out;

    AccessLog(PrintStream out) {
        this.out = out;
    }

    void write(CompletedRequest request) {
        ObjectNode line = Json.object();
        line.put("timestamp", request.timestamp().toString());
        line.put("log", "access");
        line.put("request_id", request.requestId());
        line.put("account", request.account());
        line.put("method", request.method());
        line.put("route", request.route());
        line.put("status", request.status());
        line.put("latency_ms", Math.round(request.latencyNanos() / 1_000.0) / 1_000.0);
        line.put("idempotency", request.idempotency());
        line.put("ratelimit", request.rateLimit());
        line.put("problem_type", request.problemType());
        // One println per line: PrintStream locks per call, so concurrent lines never interleave.
        out.println(Json.writeString(line));
    }
}
