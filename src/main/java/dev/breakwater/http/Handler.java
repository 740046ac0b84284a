package dev.breakwater.http;

/** Turns a parsed request into a response value; no socket involved, so it can be unit-tested. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
