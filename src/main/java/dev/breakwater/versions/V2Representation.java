package dev.breakwater.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.common.Json;
import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Problems;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.problem.FieldError;
import dev.breakwater.http.problem.ProblemException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The /v2 edge around the shared handlers: the request body is turned into the canonical (v1)
 * form before the handler and the idempotency step see it, and the response (a fresh one, or a
 * replay stored by either version) is rendered in v2's form on the way out: money objects
 * ({@link MoneyObjects}), field pointers as the v2 client spelled them, and links to /v2 paths.
 * The request's canonical path is the v1 one, so a cursor or an Idempotency-Key means the same
 * list position or the same operation in both versions.
 */
public final class V2Representation implements Filter {
    private static final String CANONICAL_PREFIX = ApiVersion.V1.prefix() + "/";
    private static final String V2_PREFIX = ApiVersion.V2.prefix() + "/";

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (ApiVersion.of(request.path()).orElse(null) != ApiVersion.V2) {
            return next.handle(request);
        }
        request.canonicalizedAs(ApiVersion.canonicalPath(request.path()));
        if (request.body().length > 0) {
            request.replaceJson(MoneyObjects.toCanonicalRequest(request.json()));
        }
        Response response;
        try {
            response = next.handle(request);
        } catch (Exception failure) {
            ProblemException problem = Problems.toProblem(failure);
            throw problem == null ? failure : withV2Pointers(problem);
        }
        return render(response);
    }

    private static ProblemException withV2Pointers(ProblemException problem) {
        if (problem.errors().isEmpty()) {
            return problem;
        }
        String detail = problem.detail();
        for (FieldError error : problem.errors()) {
            String v2 = MoneyObjects.toV2Pointer(error.pointer());
            if (!v2.equals(error.pointer()) && detail.startsWith(error.pointer() + " ")) {
                detail = v2 + detail.substring(error.pointer().length());
            }
        }
        return new ProblemException(problem.type(), detail,
                problem.errors().stream().map(e -> new FieldError(MoneyObjects.toV2Pointer(e.pointer()), e.detail())).toList(),
                problem.extensions(), problem.headers());
    }

    private static Response render(Response response) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.computeIfPresent("Location", (name, value) -> toV2Path(value));
        headers.computeIfPresent("Link", (name, value) -> value.replace("<" + CANONICAL_PREFIX, "<" + V2_PREFIX));
        String contentType = response.header("Content-Type");
        byte[] body = response.body();
        if (contentType != null && body.length > 0
                && (contentType.startsWith(Response.JSON) || contentType.startsWith(Response.PROBLEM_JSON))) {
            JsonNode tree = Json.parse(body);
            if (response.problemType() != null && tree instanceof ObjectNode problem) {
                MoneyObjects.pointersToV2(problem);
            } else {
                MoneyObjects.toV2(tree);
            }
            body = Json.write(tree);
        }
        return new Response(response.status(), headers, body, response.problemType());
    }

    private static String toV2Path(String path) {
        return path.startsWith(CANONICAL_PREFIX) ? V2_PREFIX + path.substring(CANONICAL_PREFIX.length()) : path;
    }
}
