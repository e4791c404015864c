package io.kprom.scraper.scrape;

import io.kprom.common.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** A metrics endpoint on loopback whose answer tests can change; records request headers. */
public final class TestTarget implements AutoCloseable {
    public record Answer(int status, String contentType, String body, long delayMillis) {
    }

    private final HttpServer server;
    private final AtomicReference<Answer> answer = new AtomicReference<>(
            new Answer(200, "text/plain; version=0.0.4", "up 1\n", 0));
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

    public TestTarget() throws Exception {
        Handler handler = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (HttpField field : request.getHeaders()) {
                    headers.put(field.getName(), field.getValue());
                }
                headers.put(":uri", request.getHttpURI().getPathQuery());
                headers.put(":time", String.valueOf(System.currentTimeMillis()));
                requests.add(headers);
                Answer current = answer.get();
                if (current.delayMillis() > 0) {
                    Thread.sleep(current.delayMillis());
                }
                byte[] body = current.body().getBytes(StandardCharsets.UTF_8);
                String acceptEncoding = headers.getOrDefault("Accept-Encoding", "");
                if (acceptEncoding.contains("gzip")) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                        gzip.write(body);
                    }
                    body = out.toByteArray();
                    response.getHeaders().put("Content-Encoding", "gzip");
                }
                if (current.contentType() == null) {
                    response.setStatus(current.status());
                    response.getHeaders().put("Content-Length", body.length);
                    response.write(true, java.nio.ByteBuffer.wrap(body), callback);
                } else {
                    HttpServer.send(response, callback, current.status(), current.contentType(), body);
                }
                return true;
            }
        };
        server = HttpServer.builder().listenAddress("127.0.0.1:0").route("/metrics", handler).route("/other", handler)
                .build().start();
    }

    public void answer(int status, String contentType, String body) {
        answer.set(new Answer(status, contentType, body, 0));
    }

    public void answer(Answer next) {
        answer.set(next);
    }

    public String address() {
        return "127.0.0.1:" + server.port();
    }

    public List<Map<String, String>> requests() {
        return requests;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
