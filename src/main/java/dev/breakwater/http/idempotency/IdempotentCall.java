package dev.breakwater.http.idempotency;

import dev.breakwater.domain.DomainException;
import dev.breakwater.http.Problems;
import dev.breakwater.http.Response;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One attempt at an idempotent request, as the handler sees it: where an earlier attempt got to,
 * the processor key to use for downstream calls, and the means to record progress and to commit
 * the final response atomically with the resource change.
 */
public final class IdempotentCall {
    private final IdempotencyRecords records;
    private final IdempotencyRecords.Started attempt;
    private final String requestId;
    private String recoveryPoint;
    private String resourceId;
    private boolean completed;

    IdempotentCall(IdempotencyRecords records, IdempotencyRecords.Started attempt, String requestId) {
        this.records = records;
        this.attempt = attempt;
        this.requestId = requestId;
        this.recoveryPoint = attempt.recoveryPoint();
        this.resourceId = attempt.resourceId();
    }

    /**
     * The key for downstream (processor) calls: derived from this record, so every attempt of
     * this request asks the processor for the same operation, and an expired-then-reused client
     * key gets a fresh one.
     */
    public String processorKey() {
        return "bw_" + attempt.recordId();
    }

    public String recoveryPoint() {
        return recoveryPoint;
    }

    /** The resource id reserved by an earlier phase of this request, if any. */
    public Optional<String> resourceId() {
        return Optional.ofNullable(resourceId);
    }

    public boolean resumed() {
        return attempt.resumed();
    }

    /**
     * Records that this request got as far as {@code point}, inside the caller's transaction, so
     * a phase's resource writes and its recovery point commit together.
     */
    public void checkpoint(Connection connection, String point, String resourceId) throws SQLException {
        records.checkpoint(connection, attempt, point, resourceId);
        this.recoveryPoint = point;
        this.resourceId = resourceId;
    }

    /** Stores the final response inside the caller's transaction; returns it for convenience. */
    public Response complete(Connection connection, Response response) throws SQLException {
        records.complete(connection, attempt, response);
        completed = true;
        return response;
    }

    /** Renders a deterministic failure (e.g. a decline) to store with {@link #complete}. */
    public Response problem(DomainException failure) {
        return Problems.render(Problems.toProblem(failure), requestId);
    }

    boolean completed() {
        return completed;
    }
}
