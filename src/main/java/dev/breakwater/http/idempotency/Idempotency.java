package dev.breakwater.http.idempotency;

import dev.breakwater.http.Problems;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs an unsafe request at most once per (account, Idempotency-Key), following
 * draft-ietf-httpapi-idempotency-key-header and Brandur Leach's recovery points:
 * <ul>
 * <li>completed before: replay the stored status, headers and body with {@code Idempotent-Replayed: true};</li>
 * <li>same key, different request: 422; same key still executing: 409 + {@code Retry-After};</li>
 * <li>otherwise run the operation. A deterministic outcome (2xx, 402, 404, 409, 422) is stored in
 *     the same transaction as the resource change. A processor failure, a 5xx or a crash stores
 *     nothing final: the next retry resumes from the last recovery point, and the processor sees
 *     the same processor key, so nothing is charged twice.</li>
 * </ul>
 */
public final class Idempotency {
    /** A retry of an in-flight request is worth trying again after this many seconds. */
    static final String IN_FLIGHT_RETRY_AFTER_SECONDS = "1";

    private final IdempotencyRecords records;
    private final StripedLocks locks = new StripedLocks(1024);

    public Idempotency(IdempotencyRecords records) {
        this.records = records;
    }

    /** The work of one unsafe request, given its attempt context. */
    @FunctionalInterface
    public interface Operation {
        Response run(IdempotentCall call) throws Exception;
    }

    /** Runs {@code operation} once for the request's Idempotency-Key, which {@link IdempotencyKeyRequired} read. */
    public Response execute(Request request, Operation operation) throws Exception {
        return execute(request, null, operation);
    }

    /**
     * The same, reserving the id of the resource the request acts on (or will create) in the very
     * transaction that creates the record: a resumed attempt sees it in {@link IdempotentCall#resourceId()}
     * without a separate checkpoint write (one durable commit fewer on the payment path).
     */
    public Response execute(Request request, String reservedResourceId, Operation operation) throws Exception {
        String key = request.idempotencyKey();
        String fingerprint = request.fingerprint();
        if (key == null) {
            throw new IllegalStateException(request.method() + " " + request.routeTemplate()
                    + " is idempotent but its route has no IdempotencyKeyRequired step");
        }
        IdempotencyRecords.Begin begin;
        ReentrantLock lock = locks.lockFor(request.accountId(), key);
        lock.lock();
        try {
            begin = records.begin(request.accountId(), key, request.method(), request.path(), fingerprint,
                    reservedResourceId);
        } finally {
            lock.unlock();
        }
        return switch (begin) {
            case IdempotencyRecords.Replay replay -> {
                request.note("idempotency", "replayed");
                yield replay.response().withHeader("Idempotent-Replayed", "true");
            }
            case IdempotencyRecords.Mismatch ignored -> {
                request.note("idempotency", "mismatch");
                throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was already used with a different request (method, path or body). "
                                + "Use a new key for a new request.");
            }
            case IdempotencyRecords.InFlight inFlight -> {
                request.note("idempotency", "conflict");
                throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_IN_USE,
                        "A request with this Idempotency-Key is still being processed. Retry the same request after "
                                + IN_FLIGHT_RETRY_AFTER_SECONDS + " second(s).",
                        List.of(), Map.of(), Map.of("Retry-After", IN_FLIGHT_RETRY_AFTER_SECONDS));
            }
            case IdempotencyRecords.Started started -> {
                request.note("idempotency", started.resumed() ? "resumed" : "new");
                yield run(request, started, operation);
            }
        };
    }

    private Response run(Request request, IdempotencyRecords.Started started, Operation operation) throws Exception {
        IdempotentCall call = new IdempotentCall(records, started, request.requestId());
        try {
            Response response = operation.run(call);
            if (!call.completed()) {
                records.complete(started, response);
            }
            return response;
        } catch (Exception failure) {
            ProblemException problem = Problems.toProblem(failure);
            if (problem != null && isDeterministic(problem.type()) && !call.completed()) {
                Response rendered = Problems.render(problem, request.requestId());
                records.complete(started, rendered);
                return rendered;
            }
            if (!call.completed()) {
                records.release(started);
            }
            throw failure;
        }
    }

    /** Outcomes that a retry of the same request would get again, so they are stored and replayed. */
    private static boolean isDeterministic(ProblemType type) {
        int status = type.status();
        return status >= 400 && status < 500 && status != 429 && type != ProblemType.IDEMPOTENCY_KEY_IN_USE;
    }
}
