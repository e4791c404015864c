package io.kprom.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS (server and client certificates) and bcrypt basic auth on a loopback listener. */
class HttpServerSecurityTest {
    @TempDir
    static Path dir;
    static TestCertificates pki;
    static TestCertificates.Issued server;
    static TestCertificates.Issued client;
    static TestCertificates otherPki;
    static TestCertificates.Issued strangerClient;

    @BeforeAll
    static void certificates() throws Exception {
        pki = new TestCertificates(dir, "kprom-test-ca");
        server = pki.issue(dir, "server", true);
        client = pki.issue(dir, "client", false);
        Path other = Files.createDirectories(dir.resolve("other"));
        otherPki = new TestCertificates(other, "other-ca");
        strangerClient = otherPki.issue(other, "stranger", false);
    }

    @Test
    void basicAuthWithBcryptHashes() throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2b", "s3cret".toCharArray(), salt, 4);
        Path config = dir.resolve("auth.yml");
        Files.writeString(config, "basic_auth_users:\n  grafana: '" + hash + "'\n");
        try (HttpServer http = HttpServer.builder().port(0).webConfigFile(config).build().start()) {
            OkHttpClient okhttp = new OkHttpClient();
            String url = "http://127.0.0.1:" + http.port() + "/-/healthy";
            try (Response r = okhttp.newCall(new Request.Builder().url(url).build()).execute()) {
                assertThat(r.code()).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic");
            }
            try (Response r = call(okhttp, url, Credentials.basic("grafana", "wrong"))) {
                assertThat(r.code()).isEqualTo(401);
            }
            try (Response r = call(okhttp, url, Credentials.basic("nobody", "s3cret"))) {
                assertThat(r.code()).isEqualTo(401);
            }
            for (int i = 0; i < 2; i++) { // second call hits the verified-credentials cache
                try (Response r = call(okhttp, url, Credentials.basic("grafana", "s3cret"))) {
                    assertThat(r.code()).isEqualTo(200);
                    assertThat(r.body().string()).isEqualTo("Healthy.\n");
                }
            }
        }
    }

    @Test
    void tlsServesHttpsAndAddsHeaders() throws Exception {
        Path config = dir.resolve("tls.yml");
        Files.writeString(config, """
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  min_version: TLS12
                http_server_config:
                  headers:
                    X-Frame-Options: deny
                """);
        try (HttpServer http = HttpServer.builder().port(0).webConfigFile(config).build().start()) {
            assertThat(http.tls()).isTrue();
            OkHttpClient okhttp = client(TestCertificates.clientContext(pki.ca, null));
            try (Response r = call(okhttp, "https://127.0.0.1:" + http.port() + "/-/ready", null)) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.header("X-Frame-Options")).isEqualTo("deny");
                assertThat(r.handshake().tlsVersion().javaName()).isIn("TLSv1.2", "TLSv1.3");
            }
            OkHttpClient plain = new OkHttpClient.Builder().readTimeout(2, TimeUnit.SECONDS).build();
            assertThatThrownBy(() -> call(plain, "http://127.0.0.1:" + http.port() + "/-/ready", null).close())
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void requireAndVerifyClientCertRejectsMissingOrForeignCertificates() throws Exception {
        Path config = dir.resolve("mtls.yml");
        Files.writeString(config, "tls_server_config:\n  cert_file: " + server.certFile() + "\n  key_file: "
                + server.keyFile() + "\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: "
                + pki.ca.certFile() + "\n  min_version: TLS13\n");
        try (HttpServer http = HttpServer.builder().port(0).webConfigFile(config).build().start()) {
            String url = "https://127.0.0.1:" + http.port() + "/-/healthy";
            try (Response r = call(client(TestCertificates.clientContext(pki.ca, client)), url, null)) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.handshake().tlsVersion().javaName()).isEqualTo("TLSv1.3");
            }
            assertThatThrownBy(() -> call(client(TestCertificates.clientContext(pki.ca, null)), url, null).close())
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> call(client(TestCertificates.clientContext(pki.ca, strangerClient)), url, null)
                    .close()).isInstanceOf(IOException.class);
        }
    }

    private OkHttpClient client(SSLContext context) throws Exception {
        return new OkHttpClient.Builder()
                .sslSocketFactory(context.getSocketFactory(), TestCertificates.trustManager(pki.ca))
                .readTimeout(5, TimeUnit.SECONDS)
                .build();
    }

    private static Response call(OkHttpClient okhttp, String url, String authorization) throws IOException {
        Request.Builder request = new Request.Builder().url(url);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return okhttp.newCall(request.build()).execute();
    }
}
