package dev.breakwater.processor;

import dev.breakwater.domain.DomainException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The one table between the port's failures and gRPC status codes, in both directions: the
 * gateway turns a failure into a status, the edge's client turns the status back into the same
 * failure, which {@code http.Problems} then answers as it answers the in-process sandbox.
 *
 * <pre>
 *  port failure                        gRPC status          edge problem
 *  ProcessorException TIMEOUT          DEADLINE_EXCEEDED    504 processor-timeout
 *  ProcessorException UNAVAILABLE      UNAVAILABLE          503 processor-unavailable
 *  (gateway at its in-flight limit)    RESOURCE_EXHAUSTED   503 processor-unavailable
 *  DomainException.Unprocessable       INVALID_ARGUMENT     422 unprocessable (pointer in trailer bw-pointer)
 *  ProcessorException ERROR, other     INTERNAL (any other) 502 processor-error
 * </pre>
 */
public final class GrpcStatusMapping {
    /** The JSON pointer of the field an INVALID_ARGUMENT is about. */
    public static final Metadata.Key<String> POINTER = Metadata.Key.of("bw-pointer", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcStatusMapping() {
    }

    /** The gateway's side: a failure of the port (or of its own limits) as a status with trailers. */
    public static StatusRuntimeException toStatus(RuntimeException failure) {
        if (failure instanceof ProcessorException p) {
            Status status = switch (p.kind()) {
                case TIMEOUT -> Status.DEADLINE_EXCEEDED;
                case UNAVAILABLE -> Status.UNAVAILABLE;
                case ERROR -> Status.INTERNAL;
            };
            return status.withDescription(p.getMessage()).asRuntimeException();
        }
        if (failure instanceof DomainException.Unprocessable u) {
            Metadata trailers = new Metadata();
            trailers.put(POINTER, u.violations().getFirst().pointer());
            return Status.INVALID_ARGUMENT.withDescription(u.getMessage()).asRuntimeException(trailers);
        }
        if (failure instanceof StatusRuntimeException s) {
            return s;
        }
        return Status.INTERNAL.withDescription("processor failed").withCause(failure).asRuntimeException();
    }

    /** The edge's side: what a failed call means for the payment. */
    public static RuntimeException toFailure(StatusRuntimeException e) {
        Status status = e.getStatus();
        String detail = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> new ProcessorException(ProcessorException.Kind.TIMEOUT,
                    "processor did not answer within the deadline: " + detail, e);
            case UNAVAILABLE, RESOURCE_EXHAUSTED -> new ProcessorException(ProcessorException.Kind.UNAVAILABLE,
                    "processor unavailable (" + status.getCode() + "): " + detail, e);
            case INVALID_ARGUMENT -> {
                Metadata trailers = e.getTrailers();
                String pointer = trailers == null ? null : trailers.get(POINTER);
                yield new DomainException.Unprocessable(pointer == null ? "" : pointer, detail);
            }
            default -> new ProcessorException(ProcessorException.Kind.ERROR,
                    "processor failed (" + status.getCode() + "): " + detail, e);
        };
    }
}
