package dev.breakwater.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.common.Json;
import dev.breakwater.http.problem.FieldError;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A problem rendered once answers each request with its own id and otherwise the same bytes. */
class PreparedProblemTest {

    @Test
    void eachResponseCarriesItsOwnRequestIdInTheProblemsFieldOrder() throws Exception {
        // given
        PreparedProblem prepared = new PreparedProblem(new ProblemException(ProblemType.QUOTA_EXCEEDED,
                "Quota 'reads' is used up.", List.of(), Map.of("violated-policies", List.of("reads")),
                Map.of("Retry-After", "7")));

        // when
        Response first = prepared.respond("req_first");
        Response second = prepared.respond("req_second");

        // then
        JsonNode body = Json.parse(first.body());
        assertEquals(List.of("type", "title", "status", "detail", "request_id", "violated-policies"), fieldNames(body));
        assertEquals(ProblemType.QUOTA_EXCEEDED.uri(), body.get("type").asText());
        assertEquals(429, body.get("status").asInt());
        assertEquals("req_first", body.get("request_id").asText());
        assertEquals("reads", body.get("violated-policies").get(0).asText());
        assertEquals("req_second", Json.parse(second.body()).get("request_id").asText());
        assertEquals(429, first.status());
        assertEquals(ProblemType.QUOTA_EXCEEDED.uri(), first.problemType());
        assertEquals(Response.PROBLEM_JSON, first.header("Content-Type"));
        assertEquals("7", first.header("Retry-After"));
    }

    @Test
    void aProblemWithNothingAfterTheIdClosesTheObjectAndAnOddIdIsEscaped() throws Exception {
        PreparedProblem prepared = new PreparedProblem(new ProblemException(ProblemType.NOT_FOUND, "No such payment."));

        JsonNode body = Json.parse(prepared.respond("req_\"quoted\"\\").body());

        assertEquals(List.of("type", "title", "status", "detail", "request_id"), fieldNames(body));
        assertEquals("req_\"quoted\"\\", body.get("request_id").asText());
    }

    @Test
    void fieldErrorsFollowTheIdBeforeTheExtensions() throws Exception {
        ProblemException problem = new ProblemException(ProblemType.UNPROCESSABLE, "Invalid.",
                List.of(new FieldError("/amount", "must be positive")), Map.of("zeta", 1, "alpha", "a"), Map.of());

        JsonNode body = Json.parse(Problems.render(problem, "req_1").body());

        assertEquals(List.of("type", "title", "status", "detail", "request_id", "errors", "alpha", "zeta"), fieldNames(body));
        assertEquals("/amount", body.get("errors").get(0).get("pointer").asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
