package dev.breakwater.payments;

import dev.breakwater.customers.Customers;
import dev.breakwater.domain.Currencies;
import dev.breakwater.domain.DomainException;
import dev.breakwater.domain.Ids;
import dev.breakwater.domain.Money;
import dev.breakwater.domain.WireNames;
import dev.breakwater.events.Events;
import dev.breakwater.http.Body;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.idempotency.Idempotency;
import dev.breakwater.http.idempotency.IdempotentCall;
import dev.breakwater.http.pagination.CursorCodec;
import dev.breakwater.http.pagination.ListQuery;
import dev.breakwater.http.pagination.Page;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The payment endpoints, each in three steps: parse the request into a command, run it against
 * the {@link Payment} model, render the result. Each unsafe one runs in phases around the
 * processor call: the idempotency record is opened (reserving the payment id in the same
 * commit), the processor is called with the request's processor key, then the new state, its
 * event and the idempotency record commit in one transaction.
 */
public record PaymentHandlers(Database database, Payments payments, Customers customers, Events events,
                              PaymentProcessor processor, Idempotency idempotency, CursorCodec cursors, Clock clock) {
    private static final Pattern PAYMENT_METHOD = Pattern.compile("^[A-Za-z0-9_]{1,64}$");
    private static final Pattern CUSTOMER_ID = Ids.pattern(Ids.CUSTOMER);
    private static final List<ListQuery.FilterSpec> FILTERS = List.of(
            new ListQuery.FilterSpec("customer", v -> Ids.matches(Ids.CUSTOMER, v), "must be a customer id (cus_...)"),
            new ListQuery.FilterSpec("status", v -> PaymentStatus.parse(v).isPresent(),
                    "must be one of " + WireNames.list(PaymentStatus.values())));

    public Response create(Request request) throws Exception {
        Payment.New command = parseNew(Body.of(request));
        return idempotency.execute(request, Ids.next(Ids.PAYMENT), call -> authorize(request.accountId(), command, call));
    }

    private static Payment.New parseNew(Body body) {
        Long amount = body.requiredLong("amount", 1, Money.MAX_AMOUNT);
        String currency = body.requiredString("currency", 3, Currencies.FORMAT, Currencies.FORMAT_HINT);
        String paymentMethod = body.requiredString("payment_method", 64, PAYMENT_METHOD,
                "must be a payment method token such as pm_card_visa");
        String captureMethod = body.optionalEnum("capture_method", Set.of("automatic", "manual")).orElse("automatic");
        String customer = body.optionalString("customer", 64, CUSTOMER_ID, "must be a customer id (cus_...)").orElse(null);
        String description = body.optionalString("description", 1000, null, null).orElse(null);
        Map<String, String> metadata = body.optionalMetadata().orElse(Map.of());
        body.finish();
        if (!Currencies.SUPPORTED.contains(currency)) {
            throw new DomainException.Unprocessable("/currency",
                    "Currency '" + currency + "' is not supported; supported: " + Currencies.supportedList() + ".");
        }
        return new Payment.New(amount, currency, paymentMethod, captureMethod.equals("automatic"), customer,
                description, metadata);
    }

    private Response authorize(String accountId, Payment.New command, IdempotentCall call) throws Exception {
        // The payment id was reserved with the idempotency record, so every attempt uses the same one.
        PaymentId id = new PaymentId(call.resourceId().orElseThrow());
        if (command.customer() != null && !call.resumed()
                && !database.read(c -> customers.exists(c, accountId, command.customer()))) {
            throw new DomainException.Unprocessable("/customer", "No such customer: '" + command.customer() + "'.");
        }
        PaymentProcessor.Authorization auth = processor.authorize(call.processorKey(), id.value(), command.amount(),
                command.currency(), command.paymentMethod(), command.automaticCapture());
        long now = clock.instant().getEpochSecond();
        return database.write(c -> {
            if (!auth.approved()) {
                Payment failed = payments.insert(c, accountId,
                        Payment.declined(id, now, command, auth.declineCode(), auth.message()));
                events.append(c, accountId, now, "payment.failed", failed);
                return call.complete(c, call.problem(new DomainException.CardDeclined(failed.id(), auth.declineCode(),
                        auth.message() + " The failed payment is " + failed.id() + ".")));
            }
            Payment created = payments.insert(c, accountId, Payment.authorized(id, now, command, auth.chargeId()));
            events.append(c, accountId, now, "payment." + created.status().wire(), created);
            return call.complete(c, Response.json(201, created).withHeader("Location", "/v1/payments/" + created.id()));
        });
    }

    public Response capture(Request request) throws Exception {
        Body body = Body.of(request);
        Optional<Long> amount = body.optionalLong("amount", 1, Money.MAX_AMOUNT);
        Optional<String> currency = body.optionalString("currency", 3, Currencies.FORMAT, Currencies.FORMAT_HINT);
        body.finish();
        return transition(request, payment -> payment.inCurrency(currency).capture(amount), "payment.captured",
                (key, before, after) -> processor.capture(key, before.chargeId(), after.amountCaptured()));
    }

    public Response cancel(Request request) throws Exception {
        Body.of(request).finish();
        return transition(request, Payment::cancel, "payment.canceled",
                (key, before, after) -> processor.cancel(key, before.chargeId()));
    }

    /** What the processor is told to make a transition real, between the model's check and the commit. */
    @FunctionalInterface
    private interface ProcessorStep {
        void run(String processorKey, Payment before, Payment after);
    }

    /**
     * A transition of an existing payment: check it against the current state (so a refused one
     * never reaches the processor), tell the processor, then apply it again under the row lock
     * (the state may have moved meanwhile) and commit it with its event and idempotency record.
     */
    private Response transition(Request request, UnaryOperator<Payment> change, String eventType,
                                ProcessorStep processorStep) throws Exception {
        PaymentId id = PaymentId.fromPath(request.pathParam("id"));
        String accountId = request.accountId();
        return idempotency.execute(request, id.value(), call -> {
            Payment current = database.read(c -> payments.get(c, accountId, id, false));
            processorStep.run(call.processorKey(), current, change.apply(current));
            return database.write(c -> {
                Payment changed = payments.save(c, accountId, change.apply(payments.get(c, accountId, id, true)));
                events.append(c, accountId, clock.instant().getEpochSecond(), eventType, changed);
                return call.complete(c, Response.json(200, changed));
            });
        });
    }

    public Response get(Request request) {
        Payment payment = database.read(c -> find(c, request));
        return Response.json(200, payment);
    }

    private Payment find(Connection c, Request request) throws SQLException {
        String id = request.pathParam("id");
        if (!Ids.matches(Ids.PAYMENT, id)) {
            throw new DomainException.NotFound("payment", id);
        }
        return payments.get(c, request.accountId(), new PaymentId(id), false);
    }

    public Response list(Request request) {
        ListQuery query = ListQuery.parse(request, cursors, FILTERS);
        List<Payment> rows = database.read(c -> payments.list(c, request.accountId(), query.filter("customer"),
                query.filter("status"), query.before(), query.limit() + 1));
        return Page.of(request, query, rows, Payment::seq, cursors);
    }
}
