import com.sun.net.httpserver.HttpServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;

/**
 * One client streams a header line that never ends, for up to 15 s, at a hello-world server on
 * 127.0.0.1, then a second client asks for a page. Run it with the provider to test, a small heap:
 *
 * <pre>
 * java -Xmx256m -cp target/breakwater.jar -Dcom.sun.net.httpserver.HttpServerProvider=robaho.net.httpserver.DefaultHttpServerProvider load/HeaderFlood.java
 * java -Xmx256m -cp target/breakwater.jar -Dcom.sun.net.httpserver.HttpServerProvider=sun.net.httpserver.DefaultHttpServerProvider load/HeaderFlood.java
 * </pre>
 */
public final class HeaderFlood {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        long sent = 0;
        String refusal = "none: the server read all of it";
        try (Socket flood = new Socket("127.0.0.1", port)) {
            OutputStream out = flood.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Flood: ".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'v');
            long end = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < end) {
                out.write(chunk);
                sent += chunk.length;
            }
        } catch (IOException e) {
            refusal = e.toString();
        }
        String after;
        try (Socket next = new Socket("127.0.0.1", port)) {
            next.setSoTimeout(5_000);
            next.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            after = new BufferedReader(new InputStreamReader(next.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        } catch (IOException e) {
            after = e.toString();
        }
        System.out.printf("provider %s: flood of %d MB, refused by: %s; next client got: %s%n",
                server.getClass().getName(), sent >> 20, refusal, after);
        server.stop(0);
        System.exit(0);
    }
}
