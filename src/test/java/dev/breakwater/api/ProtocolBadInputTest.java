package dev.breakwater.api;

import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.JdkServerOnly;
import dev.breakwater.support.RawHttp;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input below the JSON: how the request is framed and headed. Through raw sockets to the real
 * server, because a well-behaved client cannot send most of it. Each gets a clear answer (a
 * problem where Breakwater code gets to answer) and never a dropped connection mid-request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolBadInputTest {
    private static final String CUSTOMER = "{\"name\": \"Ada\"}";
    private TestApi api;

    @BeforeAll
    void start() {
        api = TestApi.start();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private RawHttp connect() {
        return new RawHttp(api.app().port());
    }

    private static String post(String path, String extraHeaders) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY_A
                + "\r\nContent-Type: application/json\r\nIdempotency-Key: " + UUID.randomUUID() + "\r\n" + extraHeaders;
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    private int customers() {
        return api.get("/v1/customers?limit=100", KEY_A).json().get("data").size();
    }

    @Test
    void chunkedBodyWithoutContentLengthIsReadWhole() throws Exception {
        try (RawHttp http = connect()) {
            http.send(post("/v1/customers", "Transfer-Encoding: chunked\r\n\r\n")
                    + chunk("{\"name\": ") + chunk("\"Ada Lovelace\"}") + "0\r\n\r\n");

            RawHttp.Reply reply = http.read();

            assertEquals(201, reply.status(), reply::toString);
            assertEquals("Ada Lovelace", reply.json().get("name").asText());
        }
    }

    @Test
    void chunkedBodyOverTheLimitIs413AndTheConnectionStaysUsable() throws Exception {
        int before = customers();
        String big = "{\"name\": \"" + "x".repeat(70_000) + "\"}";
        try (RawHttp http = connect()) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < big.length(); i += 8192) {
                body.append(chunk(big.substring(i, Math.min(big.length(), i + 8192))));
            }
            http.send(post("/v1/customers", "Transfer-Encoding: chunked\r\n\r\n") + body + "0\r\n\r\n");

            RawHttp.Reply reply = http.read();
            http.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Reply next = http.read();

            assertEquals(413, reply.status(), reply::toString);
            assertEquals("application/problem+json", reply.header("Content-Type"));
            assertEquals("/problems/payload-too-large", reply.problemType());
            assertEquals(200, next.status(), "the connection was drained and kept: " + next);
        }
        assertEquals(before, customers(), "nothing created");
    }

    /**
     * Past 16 MiB the server stops reading a body it will refuse anyway, so it cannot find the next
     * request on that connection: the 413 says {@code Connection: close}, and the connection ends.
     * (The body here ends just past the limit, so the JDK server's own drain would have reached its
     * end and kept the connection; only the header closes it.)
     */
    @Test
    void chunkedBodyPastTheDrainLimitIs413AndClosesTheConnection() throws Exception {
        String piece = chunk("x".repeat(8192));
        int pieces = 16 * 1024 * 1024 / 8192 + 3;
        try (RawHttp http = connect()) {
            http.send(post("/v1/customers", "Transfer-Encoding: chunked\r\n\r\n") + chunk("{\"name\": \""));
            byte[] chunkBytes = piece.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < pieces; i++) {
                http.send(chunkBytes);
            }
            http.send(chunk("\"}") + "0\r\n\r\n");

            RawHttp.Reply reply = http.read();

            assertEquals(413, reply.status(), reply::toString);
            assertEquals("/problems/payload-too-large", reply.problemType());
            assertEquals("close", reply.header("Connection"));
            assertTrue(http.closedByServer(), "the connection ends with the answer");
        }
    }

    @Test
    void overLimitBodySentSlowlyGets413Problem() throws Exception {
        int before = customers();
        byte[] big = ("{\"name\": \"" + "y".repeat(80_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = connect()) {
            http.send(post("/v1/customers", "Content-Length: " + big.length + "\r\n\r\n"));
            for (int i = 0; i < big.length; i += 10_000) {
                http.send(java.util.Arrays.copyOfRange(big, i, Math.min(big.length, i + 10_000)));
                Thread.sleep(40);
            }

            RawHttp.Reply reply = http.read();

            assertEquals(413, reply.status(), reply::toString);
            assertEquals("/problems/payload-too-large", reply.problemType());
            assertNotNull(reply.header("Request-Id"));
        }
        assertEquals(before, customers(), "nothing created");
    }

    @Test
    void expect100ContinueGetsTheInterimAnswerThenTheResult() throws Exception {
        byte[] body = CUSTOMER.getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = connect()) {
            http.send(post("/v1/customers", "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n"));

            RawHttp.Reply interim = http.read();
            http.send(body);
            RawHttp.Reply reply = http.read();

            assertEquals(100, interim.status(), interim::toString);
            assertEquals(201, reply.status(), reply::toString);
        }
    }

    /**
     * The JDK server answers 100 Continue itself, before any handler runs, so the refusal cannot
     * come first; but it comes without the client sending a byte of the body, and closes.
     */
    @Test
    void expect100ContinueWithADeclaredBodyOverTheLimitIsRefusedWithoutSendingIt() throws Exception {
        try (RawHttp http = connect()) {
            http.send(post("/v1/customers", "Content-Length: 20000000\r\nExpect: 100-continue\r\n\r\n"));

            RawHttp.Reply interim = http.read();
            RawHttp.Reply reply = http.read();

            assertEquals(100, interim.status(), interim::toString);
            assertEquals(413, reply.status(), reply::toString);
            assertEquals("/problems/payload-too-large", reply.problemType());
            assertEquals("close", reply.header("Connection"));
            assertTrue(http.closedByServer(), "a body it will not read: the connection ends with the answer");
        }
    }

    @Test
    void twoIdempotencyKeysAre400AndNothingIsCreated() throws Exception {
        int before = customers();
        byte[] body = CUSTOMER.getBytes(StandardCharsets.UTF_8);
        for (String second : List.of("Idempotency-Key: other-key\r\n", "Idempotency-Key: \"other\", \"third\"\r\n")) {
            try (RawHttp http = connect()) {
                http.send(post("/v1/customers", second + "Content-Length: " + body.length + "\r\n\r\n")).send(body);

                RawHttp.Reply reply = http.read();

                assertEquals(400, reply.status(), reply::toString);
                assertEquals("/problems/idempotency-key-invalid", reply.problemType());
            }
        }
        assertEquals(before, customers());
    }

    @Test
    void twoAuthorizationHeadersAre401EvenWhenTheFirstIsValid() throws Exception {
        for (String pair : List.of(KEY_A + "\r\nAuthorization: Bearer " + KEY_B, KEY_A + "\r\nAuthorization: Bearer " + KEY_A)) {
            try (RawHttp http = connect()) {
                http.send("GET /v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + pair + "\r\n\r\n");

                RawHttp.Reply reply = http.read();

                assertEquals(401, reply.status(), reply::toString);
                assertEquals("/problems/unauthorized", reply.problemType());
                assertEquals("Bearer realm=\"breakwater\"", reply.header("WWW-Authenticate"));
                assertTrue(reply.json().get("detail").asText().contains("exactly one Authorization"), reply::toString);
            }
        }
    }

    @Test
    void aTwentyKilobyteQueryStringIsAProblemNotADroppedConnection() throws Exception {
        String query = "limit=10&cursor=" + "A".repeat(20 * 1024);
        try (RawHttp http = connect()) {
            http.send("GET /v1/customers?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY_A + "\r\n\r\n");

            RawHttp.Reply reply = http.read();

            assertEquals(400, reply.status(), reply::toString);
            assertEquals("/problems/invalid-cursor", reply.problemType());
        }
        ApiResponse unknown = api.get("/v1/customers?" + "x".repeat(20 * 1024) + "=1", KEY_A);
        assertEquals(400, unknown.status(), unknown::toString);
        assertEquals("/problems/invalid-parameter", unknown.problemType());
    }

    @Test
    void manyHeadersUnderTheJdkLimitAreAnsweredNormally() throws Exception {
        try (RawHttp http = connect()) {
            http.send("GET /v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY_A + "\r\n"
                    + flood(150) + "\r\n");

            RawHttp.Reply reply = http.read();

            assertEquals(200, reply.status(), reply::toString);
        }
    }

    /**
     * Past 200 headers (sun.net.httpserver.maxReqHeaders) or 380 KB of them the JDK server closes
     * the connection while parsing, before it dispatches to any handler, so Breakwater never gets
     * the chance to answer (docs/status-codes.md says so). What it can promise: the flood costs
     * that one connection, and everyone else is still served. robaho's server has no such limit
     * (it reads any number and size of headers into memory), hence {@link JdkServerOnly}.
     */
    @Test
    @JdkServerOnly
    void aFloodOfHeadersPastTheJdkLimitCostsOnlyItsOwnConnection() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (RawHttp http = connect()) {
                http.send("GET /v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n" + flood(2_000) + "\r\n");
                assertTrue(http.closedByServer(), "the JDK server refuses the flood by closing");
            } catch (java.io.UncheckedIOException resetWhileSending) {
                // the server closed while the flood was still being written: the same refusal
            }
        }
        ApiResponse after = api.get("/v1/customers", KEY_A);
        assertEquals(200, after.status(), after::toString);
    }

    private static String flood(int headers) {
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < headers; i++) {
            flood.append("X-Flood-").append(i).append(": ").append("v".repeat(20)).append("\r\n");
        }
        return flood.toString();
    }

    @Test
    void slowClientsHoldingConnectionsDoNotStopOthersBeingServed() throws Exception {
        List<RawHttp> slow = new ArrayList<>();
        try {
            // given 100 clients that sent half a request and then stall
            for (int i = 0; i < 100; i++) {
                RawHttp http = connect();
                http.send(i % 2 == 0 ? "GET /v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthor"
                        : post("/v1/customers", "Content-Length: 1000\r\n\r\n{\"name\": "));
                slow.add(http);
            }

            // when other clients make requests meanwhile, then each is served
            for (int i = 0; i < 20; i++) {
                ApiResponse read = api.get("/v1/customers", KEY_A);
                ApiResponse write = api.post("/v1/customers", KEY_B, CUSTOMER);
                assertEquals(200, read.status(), read::toString);
                assertEquals(201, write.status(), write::toString);
            }
        } finally {
            slow.forEach(RawHttp::close);
        }
    }
}
