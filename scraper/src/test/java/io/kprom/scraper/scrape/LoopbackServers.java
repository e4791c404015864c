package io.kprom.scraper.scrape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.StandardConstants;

/**
 * Minimal HTTP/1.1 servers on loopback for client tests: a metrics endpoint (plain or TLS, recording
 * the SNI names clients present) and a forward proxy (recording each request head; it tunnels
 * {@code CONNECT} to the named host and answers absolute-form GETs itself). Each connection serves one
 * request and closes.
 */
final class LoopbackServers {
    private LoopbackServers() {
    }

    /** A running server; {@link #close()} stops accepting. */
    abstract static class Server implements AutoCloseable {
        final ServerSocket socket;
        /** Request heads (request line and headers) in arrival order. */
        final List<String> requests = new CopyOnWriteArrayList<>();

        Server(ServerSocket socket) {
            this.socket = socket;
            Thread acceptor = new Thread(this::acceptLoop, "loopback-server-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread handler = new Thread(() -> {
                        try (connection) {
                            String head = readHead(connection.getInputStream());
                            requests.add(head);
                            handle(head, connection);
                        } catch (IOException e) {
                            // A client that gave up (failed handshake, verification): nothing to serve.
                        }
                    }, "loopback-connection");
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        abstract void handle(String head, Socket connection) throws IOException;

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Serves one text exposition at every path; with TLS, records the SNI host names offered. */
    static final class Metrics extends Server {
        final List<String> serverNames;

        private Metrics(ServerSocket socket, List<String> serverNames) {
            super(socket);
            this.serverNames = serverNames;
        }

        static Metrics plain() throws IOException {
            return new Metrics(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), new CopyOnWriteArrayList<>());
        }

        static Metrics tls(SSLContext context) throws IOException {
            List<String> names = new CopyOnWriteArrayList<>();
            SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                @Override
                public boolean matches(SNIServerName name) {
                    names.add(((SNIHostName) name).getAsciiName());
                    return true;
                }
            }));
            socket.setSSLParameters(parameters);
            return new Metrics(socket, names);
        }

        @Override
        void handle(String head, Socket connection) throws IOException {
            respond(connection.getOutputStream(), "target_up 1\n");
        }
    }

    /** A forward proxy: tunnels CONNECT, answers absolute-form requests with {@code via_proxy 1}. */
    static final class Proxy extends Server {
        private Proxy(ServerSocket socket) {
            super(socket);
        }

        static Proxy start() throws IOException {
            return new Proxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }

        @Override
        void handle(String head, Socket connection) throws IOException {
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            if (!requestLine[0].equals("CONNECT")) {
                respond(connection.getOutputStream(), "via_proxy 1\n");
                return;
            }
            String[] hostPort = requestLine[1].split(":");
            try (Socket upstream = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                connection.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                connection.getOutputStream().flush();
                Thread back = new Thread(() -> pipe(upstream, connection), "loopback-proxy-pipe");
                back.setDaemon(true);
                back.start();
                pipe(connection, upstream);
                try {
                    back.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static void pipe(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException e) {
                // One side closed; the other direction ends too.
            }
        }
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the request head ended");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static void respond(OutputStream out, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }
}
