package dev.breakwater.domain;

import java.util.List;

/**
 * What domain code throws when a request cannot be honoured. The HTTP layer maps each kind to
 * one status code and problem type (see {@code dev.breakwater.http.Problems}); the domain never
 * sees HTTP.
 */
public sealed abstract class DomainException extends RuntimeException {

    protected DomainException(String message) {
        super(message, null, false, false);
    }

    /** The object does not exist, or belongs to another account (which must look the same). */
    public static final class NotFound extends DomainException {
        public NotFound(String kind, String id) {
            super("No such " + kind + ": '" + id + "'");
        }
    }

    /** A named transition that the object's current status does not allow. */
    public static final class InvalidState extends DomainException {
        private final String currentStatus;

        public InvalidState(String message, String currentStatus) {
            super(message);
            this.currentStatus = currentStatus;
        }

        public String currentStatus() {
            return currentStatus;
        }
    }

    /** Well-formed but semantically invalid input: one or more fields, each with a JSON pointer. */
    public static final class Unprocessable extends DomainException {
        private final List<Violation> violations;

        public Unprocessable(String pointer, String message) {
            super(message);
            this.violations = List.of(new Violation(pointer, message));
        }

        public List<Violation> violations() {
            return violations;
        }
    }

    /** The card was declined; the failed payment was recorded. */
    public static final class CardDeclined extends DomainException {
        private final String paymentId;
        private final String declineCode;

        public CardDeclined(String paymentId, String declineCode, String message) {
            super(message);
            this.paymentId = paymentId;
            this.declineCode = declineCode;
        }

        public String paymentId() {
            return paymentId;
        }

        public String declineCode() {
            return declineCode;
        }
    }

    /** The current representation does not match the client's precondition (If-Match). */
    public static final class PreconditionFailed extends DomainException {
        public PreconditionFailed(String message) {
            super(message);
        }
    }

    public record Violation(String pointer, String message) {
    }
}
