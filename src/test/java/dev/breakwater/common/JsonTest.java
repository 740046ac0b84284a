package dev.breakwater.common;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    @Test
    void storedMetadataReadsBackWithItsOrderAndEscapes() {
        Map<String, String> written = new LinkedHashMap<>();
        written.put("zeta", "last \"quoted\" \\ value");
        written.put("alpha", "caf\u00e9 \ud83d\udcb3");
        written.put("empty", "");

        Map<String, String> read = Json.metadata(Json.writeString(written));

        assertEquals(written, read);
        assertEquals(List.of("zeta", "alpha", "empty"), List.copyOf(read.keySet()));
    }

    @Test
    void noMetadataReadsAsAnEmptyMap() {
        assertTrue(Json.metadata(Json.writeString(Map.of())).isEmpty());
        assertEquals("{}", Json.writeString(Json.metadata("{}")));
    }
}
