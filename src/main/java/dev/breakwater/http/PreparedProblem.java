package dev.breakwater.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.common.Json;
import dev.breakwater.http.problem.FieldError;
import dev.breakwater.http.problem.ProblemException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A problem rendered once: its RFC 9457 body split around {@code request_id}, and its headers.
 * Every response of it differs only in the request id, so a problem answered many times over
 * (a 429 for one policy and wait, in a storm) costs a copy of its bytes, not a render each time.
 * {@link Problems#render} is this for a one-off problem, so there is one body layout: type,
 * title, status, detail, request_id, then errors and the extensions by name.
 */
public final class PreparedProblem {
    private static final byte[] ID_NAME = ",\"request_id\":".getBytes(StandardCharsets.US_ASCII);
    private final int status;
    private final String type;
    private final Map<String, String> headers;
    private final byte[] beforeId;
    private final byte[] afterId;

    public PreparedProblem(ProblemException problem) {
        this.status = problem.type().status();
        this.type = problem.type().uri();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", Response.PROBLEM_JSON);
        all.putAll(problem.headers());
        this.headers = Map.copyOf(all);

        ObjectNode head = Json.object();
        head.put("type", problem.type().uri());
        head.put("title", problem.type().title());
        head.put("status", problem.type().status());
        head.put("detail", problem.detail());
        ObjectNode rest = Json.object();
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = rest.putArray("errors");
            for (FieldError error : problem.errors()) {
                errors.addObject().put("pointer", error.pointer()).put("detail", error.detail());
            }
        }
        problem.extensions().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> rest.set(e.getKey(), Json.MAPPER.valueToTree(e.getValue())));
        byte[] headBytes = Json.write(head); // {...}: drop the closing brace, the id follows
        byte[] restBytes = Json.write(rest); // {...}: drop the opening brace, a comma leads if anything follows
        this.beforeId = concat(Arrays.copyOf(headBytes, headBytes.length - 1), ID_NAME);
        this.afterId = rest.isEmpty()
                ? new byte[] {'}'}
                : concat(new byte[] {','}, Arrays.copyOfRange(restBytes, 1, restBytes.length));
    }

    /** This problem's response to the request {@code requestId}. */
    public Response respond(String requestId) {
        byte[] id = JsonStringEncoder.getInstance().quoteAsUTF8(requestId);
        byte[] body = new byte[beforeId.length + id.length + 2 + afterId.length];
        System.arraycopy(beforeId, 0, body, 0, beforeId.length);
        int at = beforeId.length;
        body[at++] = '"';
        System.arraycopy(id, 0, body, at, id.length);
        at += id.length;
        body[at++] = '"';
        System.arraycopy(afterId, 0, body, at, afterId.length);
        return new Response(status, headers, body, type);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + second.length);
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }
}
