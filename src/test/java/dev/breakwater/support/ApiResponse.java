package dev.breakwater.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.common.Json;

import java.net.http.HttpHeaders;

/** A response as the client saw it, with helpers for the JSON body and headers. */
public record ApiResponse(int status, HttpHeaders headers, String body) {

    public JsonNode json() {
        return Json.parse(body);
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The problem {@code type} of an error response. */
    public String problemType() {
        return json().path("type").asText(null);
    }

    public String contentType() {
        return header("Content-Type");
    }

    @Override
    public String toString() {
        return status + " " + headers.map() + " " + body;
    }
}
