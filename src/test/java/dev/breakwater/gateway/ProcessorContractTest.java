package dev.breakwater.gateway;

import com.google.protobuf.Descriptors;
import dev.breakwater.domain.DomainException;
import dev.breakwater.processor.DeclineCodes;
import dev.breakwater.processor.GrpcStatusMapping;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.processor.ProcessorException;
import dev.breakwater.processor.grpc.AuthorizeRequest;
import dev.breakwater.processor.grpc.CancelRequest;
import dev.breakwater.processor.grpc.CaptureRequest;
import dev.breakwater.processor.grpc.DeclineCode;
import dev.breakwater.processor.grpc.ProcessorGrpc;
import dev.breakwater.processor.grpc.RefundRequest;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The .proto contract and the PaymentProcessor port describe the same operations, codes and failures. */
class ProcessorContractTest {

    @Test
    void everyPortOperationHasAnRpcAndEveryRpcIsAPortOperation() {
        Set<String> port = Arrays.stream(PaymentProcessor.class.getDeclaredMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .map(Method::getName)
                .collect(Collectors.toSet());
        Set<String> rpcs = ProcessorGrpc.getServiceDescriptor().getMethods().stream()
                .map(MethodDescriptor::getBareMethodName)
                .map(name -> Character.toLowerCase(name.charAt(0)) + name.substring(1))
                .collect(Collectors.toSet());

        assertEquals(port, rpcs);
    }

    @Test
    void everyRequestCarriesTheProcessorKeyAndAmountsAreInt64MinorUnits() {
        for (Descriptors.Descriptor request : List.of(AuthorizeRequest.getDescriptor(), CaptureRequest.getDescriptor(),
                CancelRequest.getDescriptor(), RefundRequest.getDescriptor())) {
            Descriptors.FieldDescriptor key = request.findFieldByName("processor_key");
            assertNotNull(key, request.getName() + " lacks processor_key");
            assertEquals(Descriptors.FieldDescriptor.Type.STRING, key.getType());
            for (Descriptors.FieldDescriptor field : request.getFields()) {
                if (field.getName().contains("amount")) {
                    assertEquals("amount_minor", field.getName(), request.getName());
                    assertEquals(Descriptors.FieldDescriptor.Type.INT64, field.getType(), request.getName());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DeclineCode.class, mode = EnumSource.Mode.EXCLUDE, names = {"DECLINE_CODE_UNSPECIFIED", "UNRECOGNIZED"})
    void everyDeclineCodeMapsToItsPortStringAndBack(DeclineCode code) {
        String portCode = DeclineCodes.fromProto(code);

        assertEquals(code.name().toLowerCase(Locale.ROOT), portCode);
        assertEquals(code, DeclineCodes.toProto(portCode));
    }

    @Test
    void theSandboxsDeclineCodesSurviveTheWire() {
        for (String code : List.of("generic_decline", "insufficient_funds")) {
            assertEquals(code, DeclineCodes.fromProto(DeclineCodes.toProto(code)));
        }
    }

    @Test
    void unknownOrUnspecifiedDeclineCodesReadAsGenericDecline() {
        assertEquals(DeclineCode.GENERIC_DECLINE, DeclineCodes.toProto("a_code_from_the_future"));
        assertEquals(DeclineCode.GENERIC_DECLINE, DeclineCodes.toProto(null));
        assertEquals("generic_decline", DeclineCodes.fromProto(DeclineCode.DECLINE_CODE_UNSPECIFIED));
        assertEquals("generic_decline", DeclineCodes.fromProto(DeclineCode.UNRECOGNIZED));
    }

    @ParameterizedTest
    @EnumSource(ProcessorException.Kind.class)
    void everyProcessorFailureCrossesTheWireAsTheSameKind(ProcessorException.Kind kind) {
        RuntimeException back = GrpcStatusMapping.toFailure(
                GrpcStatusMapping.toStatus(new ProcessorException(kind, "at the gateway")));

        assertEquals(kind, assertInstanceOf(ProcessorException.class, back).kind());
    }

    @Test
    void statusCodesMapToThePortsFailures() {
        assertEquals(Status.Code.DEADLINE_EXCEEDED, statusOf(ProcessorException.Kind.TIMEOUT));
        assertEquals(Status.Code.UNAVAILABLE, statusOf(ProcessorException.Kind.UNAVAILABLE));
        assertEquals(Status.Code.INTERNAL, statusOf(ProcessorException.Kind.ERROR));
        assertEquals(ProcessorException.Kind.UNAVAILABLE, kindOf(Status.RESOURCE_EXHAUSTED));
        assertEquals(ProcessorException.Kind.ERROR, kindOf(Status.UNKNOWN));
        assertEquals(ProcessorException.Kind.ERROR, kindOf(Status.CANCELLED));
        assertEquals(ProcessorException.Kind.ERROR, kindOf(Status.DATA_LOSS));
    }

    @Test
    void unprocessableCrossesTheWireAsInvalidArgumentWithItsPointer() {
        StatusRuntimeException status = GrpcStatusMapping.toStatus(
                new DomainException.Unprocessable("/payment_method", "Unknown payment method 'x'."));

        assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode());
        DomainException.Unprocessable back = assertInstanceOf(DomainException.Unprocessable.class,
                GrpcStatusMapping.toFailure(status));
        assertEquals("/payment_method", back.violations().getFirst().pointer());
        assertEquals("Unknown payment method 'x'.", back.getMessage());
    }

    @Test
    void gatewayAtItsLimitIsResourceExhausted() {
        assertEquals(Status.Code.RESOURCE_EXHAUSTED,
                GrpcProcessorService.status(new GatewayCalls.Overloaded(1)).getStatus().getCode());
    }

    private static Status.Code statusOf(ProcessorException.Kind kind) {
        return GrpcStatusMapping.toStatus(new ProcessorException(kind, "x")).getStatus().getCode();
    }

    private static ProcessorException.Kind kindOf(Status status) {
        return assertInstanceOf(ProcessorException.class, GrpcStatusMapping.toFailure(status.asRuntimeException())).kind();
    }
}
