package dev.breakwater.http;

import dev.breakwater.domain.DomainException;
import dev.breakwater.http.problem.FieldError;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import dev.breakwater.processor.ProcessorException;
import dev.breakwater.store.StoreException;

import java.util.List;
import java.util.Map;

/**
 * The one table from a failure to its problem response. Domain and processor failures map here;
 * anything unknown is a generic 500 that reveals nothing but the request id.
 */
public final class Problems {
    /** How long a client should wait before retrying work that a processor outage interrupted. */
    static final String PROCESSOR_RETRY_AFTER_SECONDS = "1";
    /** How long a client should wait before retrying work the store could not take (e.g. PostgreSQL restarting). */
    static final String STORE_RETRY_AFTER_SECONDS = "1";

    private Problems() {
    }

    public static ProblemException toProblem(Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        if (failure instanceof DomainException domain) {
            return fromDomain(domain);
        }
        if (failure instanceof StoreException store && store.isUnavailable()) {
            return new ProblemException(ProblemType.TEMPORARY_REDUCED_CAPACITY,
                    "The database cannot be reached for the moment. Retry with the same Idempotency-Key after "
                            + "Retry-After seconds.",
                    List.of(), Map.of(), Map.of("Retry-After", STORE_RETRY_AFTER_SECONDS));
        }
        if (failure instanceof ProcessorException processor) {
            return switch (processor.kind()) {
                case ERROR -> new ProblemException(ProblemType.PROCESSOR_ERROR,
                        "The card processor failed. Retry with the same Idempotency-Key; no duplicate charge will be made.");
                case TIMEOUT -> new ProblemException(ProblemType.PROCESSOR_TIMEOUT,
                        "The card processor did not answer in time. Retry with the same Idempotency-Key; no duplicate charge will be made.");
                case UNAVAILABLE -> new ProblemException(ProblemType.PROCESSOR_UNAVAILABLE,
                        "The card processor is unavailable. Retry with the same Idempotency-Key after Retry-After seconds.",
                        List.of(), Map.of(), Map.of("Retry-After", PROCESSOR_RETRY_AFTER_SECONDS));
            };
        }
        return null;
    }

    private static ProblemException fromDomain(DomainException domain) {
        return switch (domain) {
            case DomainException.NotFound e -> new ProblemException(ProblemType.NOT_FOUND, e.getMessage());
            case DomainException.InvalidState e -> new ProblemException(ProblemType.INVALID_STATE, e.getMessage(),
                    List.of(), Map.of("current_status", e.currentStatus()), Map.of());
            case DomainException.Unprocessable e -> new ProblemException(ProblemType.UNPROCESSABLE, e.getMessage(),
                    e.violations().stream().map(v -> new FieldError(v.pointer(), v.message())).toList(), Map.of(), Map.of());
            case DomainException.CardDeclined e -> new ProblemException(ProblemType.CARD_DECLINED, e.getMessage(),
                    List.of(), Map.of("payment", e.paymentId(), "decline_code", e.declineCode()), Map.of());
            case DomainException.PreconditionFailed e -> new ProblemException(ProblemType.PRECONDITION_FAILED, e.getMessage());
        };
    }

    public static Response internalError(String requestId) {
        return render(new ProblemException(ProblemType.INTERNAL_ERROR,
                "An unexpected error occurred. It has been logged with request id " + requestId
                        + "; retrying with the same Idempotency-Key is safe."), requestId);
    }

    public static Response render(ProblemException problem, String requestId) {
        return new PreparedProblem(problem).respond(requestId);
    }
}
