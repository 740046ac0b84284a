package dev.breakwater.processor;

import dev.breakwater.domain.DomainException;
import dev.breakwater.domain.Ids;
import dev.breakwater.store.Database;
import dev.breakwater.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An in-process stand-in for a card processor, with documented test tokens. Like a real
 * processor it remembers every operation by its processor idempotency key (in its own table,
 * committed on its own, as an external system would), so a repeated key returns the first
 * outcome and never charges twice. Faults and latency can be injected for storm tests.
 *
 * <p>In the edge's process the ledger commits on its own connection and rides on the edge's
 * next durable commit. Behind the processor gateway ({@link #durable}) it is the only store, so
 * each outcome is on disk before it is answered: a gateway killed with -9 and restarted must
 * still know every charge it reported.
 */
public final class SandboxProcessor implements PaymentProcessor {
    public static final String VISA = "pm_card_visa";
    public static final String MASTERCARD = "pm_card_mastercard";
    public static final String DECLINED = "pm_card_declined";
    public static final String INSUFFICIENT_FUNDS = "pm_card_insufficient_funds";
    public static final String PROCESSOR_ERROR = "pm_card_processor_error";
    public static final String PROCESSOR_TIMEOUT = "pm_card_processor_timeout";

    /** Fault injection for load tests: rates are probabilities per call, latency is added to each call. */
    public record Faults(double errorRate, double timeoutRate, Duration latency) {
        public static final Faults NONE = new Faults(0, 0, Duration.ZERO);
    }

    private final DataSource dataSource;
    private final Database durableStore;
    private final Clock clock;
    private final Duration timeout;
    private final Faults faults;

    public SandboxProcessor(DataSource dataSource, Clock clock, Duration timeout, Faults faults) {
        this(dataSource, null, clock, timeout, faults);
    }

    private SandboxProcessor(DataSource dataSource, Database durableStore, Clock clock, Duration timeout, Faults faults) {
        this.dataSource = dataSource;
        this.durableStore = durableStore;
        this.clock = clock;
        this.timeout = timeout;
        this.faults = faults;
    }

    /**
     * The same sandbox over a store of its own, recording each outcome through {@link Database#write}
     * (committed and fsynced, concurrent calls sharing one group commit) before answering.
     * {@code hang} is how long an injected or token-requested timeout keeps the caller waiting.
     */
    public static SandboxProcessor durable(Database store, Clock clock, Duration hang, Faults faults) {
        return new SandboxProcessor(store.dataSource(), store, clock, hang, faults);
    }

    @Override
    public Authorization authorize(String processorKey, String reference, long amount, String currency,
                                   String paymentMethod, boolean capture) {
        Optional<Operation> earlier = earlier(processorKey);
        if (earlier.isPresent()) {
            return earlier.get().toAuthorization();
        }
        simulateNetwork();
        return switch (paymentMethod) {
            case VISA, MASTERCARD -> {
                injectFaultBeforeRecording();
                Operation op = record(processorKey, capture ? "charge" : "authorize", reference,
                        Ids.next(Ids.CHARGE), amount, currency, "approved", null);
                injectFaultAfterRecording();
                yield op.toAuthorization();
            }
            case DECLINED -> record(processorKey, "authorize", reference, null, amount, currency, "declined",
                    "generic_decline").toAuthorization();
            case INSUFFICIENT_FUNDS -> record(processorKey, "authorize", reference, null, amount, currency, "declined",
                    "insufficient_funds").toAuthorization();
            case PROCESSOR_ERROR -> throw new ProcessorException(ProcessorException.Kind.ERROR,
                    "sandbox: processor error for test token");
            case PROCESSOR_TIMEOUT -> {
                sleep(timeout);
                throw new ProcessorException(ProcessorException.Kind.TIMEOUT, "sandbox: no answer within " + timeout);
            }
            default -> throw new DomainException.Unprocessable("/payment_method",
                    "Unknown payment method '" + paymentMethod + "'; use a sandbox test token such as " + VISA + ".");
        };
    }

    @Override
    public void capture(String processorKey, String chargeId, long amount) {
        secondaryOperation(processorKey, "capture", chargeId, amount);
    }

    @Override
    public void cancel(String processorKey, String chargeId) {
        secondaryOperation(processorKey, "cancel", chargeId, 0);
    }

    @Override
    public String refund(String processorKey, String chargeId, long amount) {
        return secondaryOperation(processorKey, "refund", chargeId, amount).chargeId();
    }

    private Operation secondaryOperation(String processorKey, String kind, String chargeId, long amount) {
        Optional<Operation> earlier = earlier(processorKey);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        simulateNetwork();
        injectFaultBeforeRecording();
        String id = kind.equals("refund") ? Ids.next("pyr_") : chargeId;
        Operation op = record(processorKey, kind, chargeId, id, amount, null, "approved", null);
        injectFaultAfterRecording();
        return op;
    }

    private void simulateNetwork() {
        if (!faults.latency().isZero()) {
            long base = faults.latency().toMillis();
            sleep(Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base + 1)));
        }
    }

    private void injectFaultBeforeRecording() {
        if (faults.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < faults.errorRate() / 2) {
            throw new ProcessorException(ProcessorException.Kind.ERROR, "sandbox: injected error before processing");
        }
    }

    /** The nasty case for idempotency: the processor did the work but the answer is lost. */
    private void injectFaultAfterRecording() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (faults.errorRate() > 0 && random.nextDouble() < faults.errorRate() / 2) {
            throw new ProcessorException(ProcessorException.Kind.ERROR, "sandbox: injected error after processing");
        }
        if (faults.timeoutRate() > 0 && random.nextDouble() < faults.timeoutRate()) {
            sleep(timeout);
            throw new ProcessorException(ProcessorException.Kind.TIMEOUT, "sandbox: injected timeout after processing");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessorException(ProcessorException.Kind.TIMEOUT, "sandbox: interrupted");
        }
    }

    record Operation(String processorKey, String operation, String chargeId, String outcome, String declineCode) {
        Authorization toAuthorization() {
            return "approved".equals(outcome)
                    ? Authorization.approved(chargeId)
                    : Authorization.declined(declineCode, declineMessage(declineCode));
        }
    }

    private static String declineMessage(String code) {
        return "insufficient_funds".equals(code) ? "The card has insufficient funds." : "The card was declined.";
    }

    /**
     * The outcome an earlier call with this key had, to answer as a replay. Behind the gateway a
     * concurrent call's row can be committed but not yet stored and fsynced (visible before
     * durable, docs/performance.md), and a gateway killed then would forget a charge it had
     * already reported through the replay. So there a found outcome is read again through the
     * write pipeline: flushes are ordered, so once that write returns the earlier one is on disk.
     */
    private Optional<Operation> earlier(String processorKey) {
        Optional<Operation> earlier = find(processorKey);
        if (earlier.isEmpty() || durableStore == null) {
            return earlier;
        }
        try {
            return durableStore.write(c -> find(c, processorKey));
        } catch (StoreException e) {
            throw new ProcessorException(ProcessorException.Kind.UNAVAILABLE, "sandbox storage failed", e);
        }
    }

    private Optional<Operation> find(String processorKey) {
        try (Connection c = dataSource.getConnection()) {
            return find(c, processorKey);
        } catch (SQLException e) {
            throw new ProcessorException(ProcessorException.Kind.UNAVAILABLE, "sandbox storage failed", e);
        }
    }

    private static Optional<Operation> find(Connection c, String processorKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT operation, charge_id, outcome, decline_code FROM sandbox_operations WHERE processor_key = ?")) {
            ps.setString(1, processorKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Operation(processorKey, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
    }

    private Operation record(String processorKey, String operation, String reference, String chargeId, long amount,
                             String currency, String outcome, String declineCode) {
        Operation op = new Operation(processorKey, operation, chargeId, outcome, declineCode);
        if (durableStore != null) {
            try {
                // On the writer's connection a concurrent call's insert in the same group is visible,
                // so "first outcome wins" holds without relying on a unique-key failure.
                return durableStore.write(c -> find(c, processorKey).orElseGet(() -> {
                    insert(c, op, reference, amount, currency);
                    return op;
                }));
            } catch (StoreException e) {
                throw new ProcessorException(ProcessorException.Kind.UNAVAILABLE, "sandbox storage failed", e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            insert(c, op, reference, amount, currency);
            return op;
        } catch (StoreException e) {
            if (e.isUniqueViolation()) {
                // A concurrent call with the same key won: its outcome is the outcome.
                return find(processorKey).orElseThrow();
            }
            throw new ProcessorException(ProcessorException.Kind.UNAVAILABLE, "sandbox storage failed", e);
        } catch (SQLException e) {
            throw new ProcessorException(ProcessorException.Kind.UNAVAILABLE, "sandbox storage failed", e);
        }
    }

    private void insert(Connection c, Operation op, String reference, long amount, String currency) {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sandbox_operations
                  (processor_key, operation, reference, charge_id, amount, currency, outcome, decline_code, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, op.processorKey());
            ps.setString(2, op.operation());
            ps.setString(3, reference);
            ps.setString(4, op.chargeId());
            ps.setLong(5, amount);
            ps.setString(6, currency);
            ps.setString(7, op.outcome());
            ps.setString(8, op.declineCode());
            ps.setLong(9, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }
}
