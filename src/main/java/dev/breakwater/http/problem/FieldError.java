package dev.breakwater.http.problem;

/** One bad input, located by a JSON pointer into the body (or `/query/name`, `/header/name`). */
public record FieldError(String pointer, String detail) {
}
