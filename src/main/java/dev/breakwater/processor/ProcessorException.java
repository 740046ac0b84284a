package dev.breakwater.processor;

/**
 * The processor could not give a definite answer. The outcome at the processor is unknown, so
 * nothing final is stored and a retry with the same Idempotency-Key re-asks it with the same
 * processor key.
 */
public final class ProcessorException extends RuntimeException {
    public enum Kind { ERROR, TIMEOUT, UNAVAILABLE }

    private final Kind kind;

    public ProcessorException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ProcessorException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The outcome label metrics and logs record for this failure: {@code error}, {@code timeout}, {@code unavailable}. */
    public String outcome() {
        return switch (kind) {
            case ERROR -> "error";
            case TIMEOUT -> "timeout";
            case UNAVAILABLE -> "unavailable";
        };
    }
}
