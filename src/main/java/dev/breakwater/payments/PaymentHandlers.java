package dev.breakwater.payments;

import dev.breakwater.customers.Customers;
import dev.breakwater.domain.DomainException;
import dev.breakwater.domain.Ids;
import dev.breakwater.events.Events;
import dev.breakwater.http.Body;
import dev.breakwater.common.Json;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.idempotency.Idempotency;
import dev.breakwater.http.idempotency.IdempotentCall;
import dev.breakwater.http.pagination.CursorCodec;
import dev.breakwater.http.pagination.ListQuery;
import dev.breakwater.http.pagination.Page;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.store.Database;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The payment endpoints. Each unsafe one runs in phases around the processor call: validate,
 * open the idempotency record (which reserves the payment id in the same commit), call the
 * processor with the request's processor key, then commit the result, its event and the
 * idempotency record in one transaction.
 */
public final class PaymentHandlers {
    public static final long MAX_AMOUNT = 99_999_999L;
    private static final Pattern PAYMENT_METHOD = Pattern.compile("^[A-Za-z0-9_]{1,64}$");
    private static final Pattern CUSTOMER_ID = Ids.pattern(Ids.CUSTOMER);
    private static final List<ListQuery.FilterSpec> FILTERS = List.of(
            new ListQuery.FilterSpec("customer", v -> Ids.matches(Ids.CUSTOMER, v), "must be a customer id (cus_...)"),
            new ListQuery.FilterSpec("status", Payment.STATUSES::contains,
                    "must be one of " + String.join(", ", Payment.STATUSES.stream().sorted().toList())));

    private final Database database;
    private final Payments payments;
    private final Customers customers;
    private final Events events;
    private final PaymentProcessor processor;
    private final Idempotency idempotency;
    private final CursorCodec cursors;
    private final Clock clock;

    public PaymentHandlers(Database database, Payments payments, Customers customers, Events events,
                           PaymentProcessor processor, Idempotency idempotency, CursorCodec cursors, Clock clock) {
        this.database = database;
        this.payments = payments;
        this.customers = customers;
        this.events = events;
        this.processor = processor;
        this.idempotency = idempotency;
        this.cursors = cursors;
        this.clock = clock;
    }

    private record NewPayment(long amount, String currency, String paymentMethod, String captureMethod,
                              String customer, String description, Map<String, String> metadata) {
    }

    public Response create(Request request) throws Exception {
        Body body = Body.of(request);
        Long amount = body.requiredLong("amount", 1, MAX_AMOUNT);
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
        NewPayment command = new NewPayment(amount, currency, paymentMethod, captureMethod, customer, description, metadata);
        return idempotency.execute(request, Json.canonical(body.json()), Ids.next(Ids.PAYMENT),
                call -> authorize(request, command, call));
    }

    private Response authorize(Request request, NewPayment command, IdempotentCall call) throws Exception {
        String accountId = request.accountId();
        // The payment id was reserved with the idempotency record, so every attempt uses the same one.
        String paymentId = call.resourceId().orElseThrow();
        if (command.customer() != null && !call.resumed()
                && !database.read(c -> customers.exists(c, accountId, command.customer()))) {
            throw new DomainException.Unprocessable("/customer", "No such customer: '" + command.customer() + "'.");
        }
        boolean automatic = command.captureMethod().equals("automatic");
        PaymentProcessor.Authorization auth = processor.authorize(call.processorKey(), paymentId, command.amount(),
                command.currency(), command.paymentMethod(), automatic);
        long now = clock.instant().getEpochSecond();
        String id = paymentId;
        return database.write(c -> {
            if (!auth.approved()) {
                Payment failed = payments.insert(c, accountId, new Payment(id, now, command.amount(), 0, 0, 0,
                        command.currency(), Payment.FAILED, command.captureMethod(), command.customer(),
                        command.description(), command.paymentMethod(), auth.declineCode(), auth.message(),
                        command.metadata(), null, 0));
                events.append(c, accountId, now, "payment.failed", failed);
                return call.complete(c, call.problem(new DomainException.CardDeclined(failed.id(), auth.declineCode(),
                        auth.message() + " The failed payment is " + failed.id() + ".")));
            }
            Payment created = payments.insert(c, accountId, new Payment(id, now, command.amount(),
                    automatic ? 0 : command.amount(), automatic ? command.amount() : 0, 0, command.currency(),
                    automatic ? Payment.SUCCEEDED : Payment.REQUIRES_CAPTURE, command.captureMethod(),
                    command.customer(), command.description(), command.paymentMethod(), null, null,
                    command.metadata(), auth.chargeId(), 0));
            events.append(c, accountId, now, automatic ? "payment.succeeded" : "payment.requires_capture", created);
            return call.complete(c, Response.json(201, created).withHeader("Location", "/v1/payments/" + created.id()));
        });
    }

    public Response capture(Request request) throws Exception {
        Body body = Body.of(request);
        Optional<Long> amount = body.optionalLong("amount", 1, MAX_AMOUNT);
        body.finish();
        String id = existingShape(request.pathParam("id"));
        String accountId = request.accountId();
        return idempotency.execute(request, Json.canonical(body.json()), id, call -> {
            Payment payment = database.read(c -> payments.get(c, accountId, id, false));
            requireCapturable(payment, "captured");
            long toCapture = amount.orElse(payment.amountCapturable());
            if (toCapture > payment.amountCapturable()) {
                throw new DomainException.Unprocessable("/amount", "Cannot capture " + toCapture + "; at most "
                        + payment.amountCapturable() + " is capturable.");
            }
            processor.capture(call.processorKey(), payment.chargeId(), toCapture);
            return database.write(c -> {
                Payment locked = payments.get(c, accountId, id, true);
                requireCapturable(locked, "captured");
                Payment captured = payments.update(c, accountId, id, Payment.SUCCEEDED, 0, toCapture, 0);
                events.append(c, accountId, clock.instant().getEpochSecond(), "payment.captured", captured);
                return call.complete(c, Response.json(200, captured));
            });
        });
    }

    public Response cancel(Request request) throws Exception {
        Body body = Body.of(request);
        body.finish();
        String id = existingShape(request.pathParam("id"));
        String accountId = request.accountId();
        return idempotency.execute(request, Json.canonical(body.json()), id, call -> {
            Payment payment = database.read(c -> payments.get(c, accountId, id, false));
            requireCapturable(payment, "canceled");
            processor.cancel(call.processorKey(), payment.chargeId());
            return database.write(c -> {
                Payment locked = payments.get(c, accountId, id, true);
                requireCapturable(locked, "canceled");
                Payment canceled = payments.update(c, accountId, id, Payment.CANCELED, 0, 0, 0);
                events.append(c, accountId, clock.instant().getEpochSecond(), "payment.canceled", canceled);
                return call.complete(c, Response.json(200, canceled));
            });
        });
    }

    /**
     * A malformed id names no payment: 404 before an idempotency record is begun, whose
     * request_path column could not hold an arbitrarily long path (that was a 500).
     */
    private static String existingShape(String id) {
        if (!Ids.matches(Ids.PAYMENT, id)) {
            throw new DomainException.NotFound("payment", id.length() > 40 ? id.substring(0, 40) + "..." : id);
        }
        return id;
    }

    private static void requireCapturable(Payment payment, String verb) {
        if (!payment.status().equals(Payment.REQUIRES_CAPTURE)) {
            throw new DomainException.InvalidState("Payment " + payment.id() + " cannot be " + verb + ": its status is "
                    + payment.status() + "; only a payment in requires_capture can be.", payment.status());
        }
    }

    public Response get(Request request) {
        Payment payment = database.read(c -> payments.get(c, request.accountId(), request.pathParam("id"), false));
        return Response.json(200, payment);
    }

    public Response list(Request request) {
        ListQuery query = ListQuery.parse(request, cursors, FILTERS);
        List<Payment> rows = database.read(c -> payments.list(c, request.accountId(), query.filter("customer"),
                query.filter("status"), query.before(), query.limit() + 1));
        return Page.of(request, query, rows, Payment::seq, cursors);
    }
}
