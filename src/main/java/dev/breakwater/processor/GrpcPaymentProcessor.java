package dev.breakwater.processor;

import dev.breakwater.processor.grpc.AuthorizeReply;
import dev.breakwater.processor.grpc.AuthorizeRequest;
import dev.breakwater.processor.grpc.CancelRequest;
import dev.breakwater.processor.grpc.CaptureRequest;
import dev.breakwater.processor.grpc.ProcessorGrpc;
import dev.breakwater.processor.grpc.RefundRequest;
import dev.breakwater.trace.TraceContext;
import dev.breakwater.trace.TraceParent;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Calls the processor gateway over gRPC ({@code src/main/proto}, docs/grpc.md). The edge's
 * processor timeout is each call's deadline, so a slow gateway ends as the 504 the sandbox's
 * timeout gives; status codes map back to the port's failures in {@link GrpcStatusMapping}.
 * The current request's {@code traceparent} travels as call metadata.
 *
 * <p>Retries: the channel retries UNAVAILABLE up to twice with backoff, inside the deadline,
 * under a token budget (gRPC retry throttling) so an outage does not triple the load. That is
 * safe only because every RPC carries the processor key and the gateway answers a repeated key
 * with its first outcome. Other failures go back to the edge's client, whose retry with the same
 * Idempotency-Key re-asks with the same processor key.
 */
public final class GrpcPaymentProcessor implements PaymentProcessor, AutoCloseable {
    private static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of(TraceParent.HEADER, Metadata.ASCII_STRING_MARSHALLER);
    /** gRPC service config: JSON numbers are doubles. */
    private static final Map<String, Object> SERVICE_CONFIG = Map.of(
            "methodConfig", List.of(Map.of(
                    "name", List.of(Map.of("service", ProcessorGrpc.SERVICE_NAME)),
                    "retryPolicy", Map.of(
                            "maxAttempts", 3.0,
                            "initialBackoff", "0.05s",
                            "maxBackoff", "0.5s",
                            "backoffMultiplier", 2.0,
                            "retryableStatusCodes", List.of("UNAVAILABLE")))),
            "retryThrottling", Map.of("maxTokens", 10.0, "tokenRatio", 0.1));

    private static final Duration RECONNECT_INTERVAL = Duration.ofMillis(250);

    private final ManagedChannel channel;
    private final AtomicLong lastReconnect = new AtomicLong(System.nanoTime());
    private final ProcessorGrpc.ProcessorBlockingStub stub;
    private final Duration timeout;

    private GrpcPaymentProcessor(ManagedChannel channel, Duration timeout) {
        this.channel = channel;
        this.stub = ProcessorGrpc.newBlockingStub(ClientInterceptors.intercept(channel, new PropagateTrace()));
        this.timeout = timeout;
    }

    /** One channel (one HTTP/2 connection, calls multiplexed on it) to {@code grpc://host:port}. */
    public static GrpcPaymentProcessor connect(URI url, Duration timeout) {
        if (url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("a grpc:// processor URL needs a host and a port, got '" + url + "'");
        }
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(url.getHost(), url.getPort(),
                        InsecureChannelCredentials.create())
                .defaultServiceConfig(SERVICE_CONFIG)
                .enableRetry()
                .build();
        channel.getState(true); // connect now, not on the first payment
        return new GrpcPaymentProcessor(channel, timeout);
    }

    @Override
    public Authorization authorize(String processorKey, String reference, long amount, String currency,
                                   String paymentMethod, boolean capture) {
        AuthorizeReply reply = call(() -> deadlined().authorize(AuthorizeRequest.newBuilder()
                .setProcessorKey(processorKey)
                .setReference(reference == null ? "" : reference)
                .setAmountMinor(amount)
                .setCurrency(currency)
                .setPaymentMethod(paymentMethod)
                .setCapture(capture)
                .build()));
        return toAuthorization(reply);
    }

    @Override
    public void capture(String processorKey, String chargeId, long amount) {
        call(() -> deadlined().capture(CaptureRequest.newBuilder()
                .setProcessorKey(processorKey).setChargeId(chargeId).setAmountMinor(amount).build()));
    }

    @Override
    public void cancel(String processorKey, String chargeId) {
        call(() -> deadlined().cancel(CancelRequest.newBuilder()
                .setProcessorKey(processorKey).setChargeId(chargeId).build()));
    }

    @Override
    public String refund(String processorKey, String chargeId, long amount) {
        String id = call(() -> deadlined().refund(RefundRequest.newBuilder()
                .setProcessorKey(processorKey).setChargeId(chargeId).setAmountMinor(amount).build())).getRefundId();
        if (id.isEmpty()) {
            throw new ProcessorException(ProcessorException.Kind.ERROR, "processor answer lacks a refund id");
        }
        return id;
    }

    /** The reply as the port's answer; a reply with neither outcome is a broken processor. */
    static Authorization toAuthorization(AuthorizeReply reply) {
        return switch (reply.getOutcomeCase()) {
            case APPROVED -> {
                String chargeId = reply.getApproved().getChargeId();
                if (chargeId.isEmpty()) {
                    throw new ProcessorException(ProcessorException.Kind.ERROR, "processor approved without a charge id");
                }
                yield Authorization.approved(chargeId);
            }
            case DECLINED -> Authorization.declined(DeclineCodes.fromProto(reply.getDeclined().getCode()),
                    reply.getDeclined().getMessage().isEmpty() ? "The card was declined." : reply.getDeclined().getMessage());
            case OUTCOME_NOT_SET -> throw new ProcessorException(ProcessorException.Kind.ERROR,
                    "processor answered an authorization without an outcome");
        };
    }

    private ProcessorGrpc.ProcessorBlockingStub deadlined() {
        return stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private <T> T call(Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                reconnectSoon();
            }
            throw GrpcStatusMapping.toFailure(e);
        }
    }

    /**
     * After a lost connection the channel waits out an exponential backoff (1 s, 1.6 s, 2.6 s,
     * ...) before it dials again, failing every call meanwhile; a gateway restarted in two
     * seconds would stay unreached for many more. So a failed call cuts the wait short, at most
     * every {@link #RECONNECT_INTERVAL}: a restarted gateway is found within that, and a dead one
     * costs one connection attempt per interval, not one per call.
     */
    private void reconnectSoon() {
        long now = System.nanoTime();
        long last = lastReconnect.get();
        if (now - last >= RECONNECT_INTERVAL.toNanos() && lastReconnect.compareAndSet(last, now)) {
            channel.resetConnectBackoff();
        }
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Adds the current request's trace, as a child span, to each call's headers. */
    private static final class PropagateTrace implements ClientInterceptor {
        @Override
        public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
            String traceparent = TraceContext.current().map(t -> t.child().header()).orElse(null);
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<A> listener, Metadata headers) {
                    if (traceparent != null) {
                        headers.put(TRACEPARENT, traceparent);
                    }
                    super.start(listener, headers);
                }
            };
        }
    }
}
