package dev.breakwater.gateway;

import dev.breakwater.processor.DeclineCodes;
import dev.breakwater.processor.GrpcStatusMapping;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.processor.grpc.Approved;
import dev.breakwater.processor.grpc.AuthorizeReply;
import dev.breakwater.processor.grpc.AuthorizeRequest;
import dev.breakwater.processor.grpc.CancelReply;
import dev.breakwater.processor.grpc.CancelRequest;
import dev.breakwater.processor.grpc.CaptureReply;
import dev.breakwater.processor.grpc.CaptureRequest;
import dev.breakwater.processor.grpc.Declined;
import dev.breakwater.processor.grpc.ProcessorBatchGrpc;
import dev.breakwater.processor.grpc.ProcessorGrpc;
import dev.breakwater.processor.grpc.RefundReply;
import dev.breakwater.processor.grpc.RefundRequest;
import dev.breakwater.trace.TraceParent;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/**
 * The processor contract over gRPC: each RPC is one call of the port, on the gateway's sandbox
 * and its ledger. A call whose deadline already passed is not started (the caller is gone and
 * would only retry); a failure is the status {@link GrpcStatusMapping} gives it.
 */
final class GrpcProcessorService extends ProcessorGrpc.ProcessorImplBase {
    static final String TRANSPORT = "grpc";
    private static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of(TraceParent.HEADER, Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TRACE = Context.key(TraceParent.HEADER);

    private final PaymentProcessor processor;
    private final GatewayCalls calls;

    GrpcProcessorService(PaymentProcessor processor, GatewayCalls calls) {
        this.processor = processor;
        this.calls = calls;
    }

    @Override
    public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeReply> replies) {
        answer(replies, () -> authorize(request));
    }

    @Override
    public void capture(CaptureRequest r, StreamObserver<CaptureReply> replies) {
        answer(replies, () -> calls.run(TRANSPORT, "capture", r.getProcessorKey(), trace(), () -> {
            processor.capture(r.getProcessorKey(), r.getChargeId(), r.getAmountMinor());
            return CaptureReply.newBuilder().setChargeId(r.getChargeId()).build();
        }));
    }

    @Override
    public void cancel(CancelRequest r, StreamObserver<CancelReply> replies) {
        answer(replies, () -> calls.run(TRANSPORT, "cancel", r.getProcessorKey(), trace(), () -> {
            processor.cancel(r.getProcessorKey(), r.getChargeId());
            return CancelReply.newBuilder().setChargeId(r.getChargeId()).build();
        }));
    }

    @Override
    public void refund(RefundRequest r, StreamObserver<RefundReply> replies) {
        answer(replies, () -> calls.run(TRANSPORT, "refund", r.getProcessorKey(), trace(), () ->
                RefundReply.newBuilder()
                        .setRefundId(processor.refund(r.getProcessorKey(), r.getChargeId(), r.getAmountMinor()))
                        .build()));
    }

    AuthorizeReply authorize(AuthorizeRequest r) {
        PaymentProcessor.Authorization a = calls.run(TRANSPORT, "authorize", r.getProcessorKey(), trace(),
                () -> processor.authorize(r.getProcessorKey(), r.getReference(), r.getAmountMinor(), r.getCurrency(),
                        r.getPaymentMethod(), r.getCapture()),
                result -> result.approved() ? "approved" : "declined");
        return toReply(a);
    }

    static AuthorizeReply toReply(PaymentProcessor.Authorization a) {
        return a.approved()
                ? AuthorizeReply.newBuilder().setApproved(Approved.newBuilder().setChargeId(a.chargeId())).build()
                : AuthorizeReply.newBuilder().setDeclined(Declined.newBuilder()
                        .setCode(DeclineCodes.toProto(a.declineCode()))
                        .setMessage(a.message() == null ? "" : a.message())).build();
    }

    private static <T> void answer(StreamObserver<T> replies, Supplier<T> work) {
        if (Context.current().isCancelled()) {
            replies.onError(Status.DEADLINE_EXCEEDED.withDescription("the caller's deadline passed before the call started")
                    .asRuntimeException());
            return;
        }
        T reply;
        try {
            reply = work.get();
        } catch (RuntimeException e) {
            reply(replies, null, status(e));
            return;
        }
        reply(replies, reply, null);
    }

    /** A caller that gave up (deadline, cancel) is owed nothing; its transport may already be closed. */
    private static <T> void reply(StreamObserver<T> replies, T reply, StatusRuntimeException failure) {
        if (Context.current().isCancelled()) {
            return;
        }
        if (failure != null) {
            replies.onError(failure);
        } else {
            replies.onNext(reply);
            replies.onCompleted();
        }
    }

    static StatusRuntimeException status(RuntimeException failure) {
        if (failure instanceof GatewayCalls.Overloaded overloaded) {
            return Status.RESOURCE_EXHAUSTED.withDescription(overloaded.getMessage()).asRuntimeException();
        }
        return GrpcStatusMapping.toStatus(failure);
    }

    private static String trace() {
        return TRACE.get();
    }

    /** Puts the caller's {@code traceparent} header where the service (and its log line) can read it. */
    static final class TraceInterceptor implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                            ServerCallHandler<Q, A> next) {
            String traceparent = TraceParent.parse(headers.get(TRACEPARENT)).map(TraceParent::header).orElse(null);
            return Contexts.interceptCall(Context.current().withValue(TRACE, traceparent), call, headers, next);
        }
    }

    /** Many authorizations on one stream, answered in order; the first failure ends the stream with its status. */
    static final class Batch extends ProcessorBatchGrpc.ProcessorBatchImplBase {
        private final GrpcProcessorService service;

        Batch(GrpcProcessorService service) {
            this.service = service;
        }

        @Override
        public StreamObserver<AuthorizeRequest> authorizeStream(StreamObserver<AuthorizeReply> replies) {
            return new StreamObserver<>() {
                private boolean failed;

                @Override
                public void onNext(AuthorizeRequest request) {
                    if (failed) {
                        return;
                    }
                    try {
                        replies.onNext(service.authorize(request));
                    } catch (RuntimeException e) {
                        failed = true;
                        replies.onError(status(e));
                    }
                }

                @Override
                public void onError(Throwable t) {
                    failed = true;
                }

                @Override
                public void onCompleted() {
                    if (!failed) {
                        replies.onCompleted();
                    }
                }
            };
        }
    }
}
