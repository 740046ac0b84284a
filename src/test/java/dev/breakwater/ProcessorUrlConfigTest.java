package dev.breakwater;

import dev.breakwater.processor.ProcessorTransport;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BREAKWATER_PROCESSOR_URL's scheme picks the processor transport; anything else fails startup by name. */
class ProcessorUrlConfigTest {

    private static AppConfig withUrl(String url) {
        return AppConfig.fromEnv(url == null ? Map.of() : Map.of("BREAKWATER_PROCESSOR_URL", url));
    }

    @Test
    void noUrlIsTheInProcessSandbox() {
        assertEquals(ProcessorTransport.SANDBOX, ProcessorTransport.of(withUrl(null).processorUrl()));
    }

    @Test
    void httpAndHttpsUrlsAreTheHttpClient() {
        assertEquals(ProcessorTransport.HTTP, ProcessorTransport.of(withUrl("http://127.0.0.1:9091").processorUrl()));
        assertEquals(ProcessorTransport.HTTP, ProcessorTransport.of(withUrl("https://processor.internal").processorUrl()));
    }

    @Test
    void grpcUrlWithAPortIsTheGrpcClient() {
        AppConfig config = withUrl("grpc://127.0.0.1:9090");

        assertEquals(ProcessorTransport.GRPC, ProcessorTransport.of(config.processorUrl()));
        assertEquals(9090, config.processorUrl().getPort());
    }

    @Test
    void grpcUrlWithoutAPortAndOtherSchemesFailNamingTheVariable() {
        for (String bad : new String[] {"grpc://127.0.0.1", "ftp://127.0.0.1:21", "127.0.0.1:9090"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withUrl(bad), bad);
            assertTrue(e.getMessage().startsWith("BREAKWATER_PROCESSOR_URL"), e.getMessage());
        }
    }
}
