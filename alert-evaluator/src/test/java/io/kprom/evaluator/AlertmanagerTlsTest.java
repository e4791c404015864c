package io.kprom.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.kprom.common.config.AlertingConfig;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertState;
import io.kprom.promql.rules.AlertingRule;
import io.kprom.promql.rules.RuleSpec;
import io.kprom.scraper.scrape.HttpClients;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tls_config} towards an Alertmanager: a loopback HTTPS server whose certificate (for
 * {@code alertmanager.test} only, signed by a CA made in the test) requires a client certificate
 * signed by the same CA. Also checks that credentials files are re-read for every request.
 */
class AlertmanagerTlsTest {
    private static final AtomicLong SERIAL = new AtomicLong(1);
    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static final List<String> received = new CopyOnWriteArrayList<>();

    private final HttpClients clients = new HttpClients();
    private final List<AlertmanagerSet> sets = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        KeyPair caKeys = keys();
        X509Certificate ca = certificate("CN=kprom test CA", caKeys, "CN=kprom test CA", caKeys.getPrivate(), true, null);
        KeyPair serverKeys = keys();
        X509Certificate serverCert = certificate("CN=alertmanager.test", serverKeys, "CN=kprom test CA",
                caKeys.getPrivate(), false, "alertmanager.test");
        KeyPair clientKeys = keys();
        X509Certificate clientCert = certificate("CN=kprom evaluator", clientKeys, "CN=kprom test CA",
                caKeys.getPrivate(), false, null);
        KeyPair strangerKeys = keys();
        X509Certificate strangerCert = certificate("CN=stranger", strangerKeys, "CN=stranger", strangerKeys.getPrivate(),
                false, null);
        Files.writeString(dir.resolve("ca.pem"), pem(ca));
        Files.writeString(dir.resolve("client.pem"), pem(clientCert));
        Files.writeString(dir.resolve("client-key.pem"), pem(new JcaPKCS8Generator(clientKeys.getPrivate(), null)));
        Files.writeString(dir.resolve("stranger.pem"), pem(strangerCert));
        Files.writeString(dir.resolve("stranger-key.pem"), pem(new JcaPKCS8Generator(strangerKeys.getPrivate(), null)));

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("server", serverKeys.getPrivate(), new char[0], new Certificate[] {serverCert, ca});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, new char[0]);
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("ca", ca);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/api/v2/alerts", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @AfterEach
    void closeSets() throws Exception {
        for (AlertmanagerSet set : sets) {
            set.close();
        }
        clients.close();
        received.clear();
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, String issuer, PrivateKey issuerKey,
            boolean isCa, String dnsName) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (dnsName != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    /**
     * PEM text of a certificate or a key; keys are written as PKCS#8 ({@code BEGIN PRIVATE KEY}):
     * the scraper's PEM reader cannot use a SEC1 EC key that lacks its public key.
     */
    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof PemObjectGenerator generator) {
                writer.writeObject(generator);
            } else {
                writer.writeObject(object);
            }
        }
        return out.toString();
    }

    /** Started sets for one {@code alertmanagers} entry (https to the test server), once discovered. */
    private List<AlertmanagerSet> sets(String entryYaml) throws Exception {
        AlertingConfig alerting = PrometheusConfig.parse("""
                alerting:
                  alertmanagers:
                    - scheme: https
                      timeout: 5s
                      static_configs:
                        - targets: ['127.0.0.1:%d']
                """.formatted(server.getAddress().getPort()) + entryYaml.indent(6), dir.resolve("prometheus.yml"))
                .alerting();
        List<AlertmanagerSet> created = AlertmanagerSet.fromConfig(alerting, clients, AlertmanagerDiscovery.STANDARD,
                () -> {
                });
        sets.addAll(created);
        created.forEach(AlertmanagerSet::start);
        await().atMost(Duration.ofSeconds(10)).until(() -> !created.get(0).endpoints().isEmpty());
        return created;
    }

    /** Sends one alert and waits for its batch; true when the server got it. */
    private static boolean sendOne(AlertmanagerNotifier notifier) {
        int before = received.size();
        long batches = notifier.batchesDone();
        notifier.send(new AlertingRule(new RuleSpec.Alerting("A", "up == 0", Duration.ZERO, Duration.ZERO,
                Labels.EMPTY, Map.of())), List.of(new Alert(Labels.of("alertname", "A"), Map.of(), AlertState.FIRING,
                1, 1000, 2000, 0, 2000, 242_000, 0)));
        await().atMost(Duration.ofSeconds(30)).until(() -> notifier.batchesDone() > batches);
        return received.size() > before;
    }

    private boolean deliver(String entryYaml) throws Exception {
        try (AlertmanagerNotifier notifier = new AlertmanagerNotifier(sets(entryYaml), Labels.EMPTY, List.of(), "", 100)) {
            return sendOne(notifier);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            CA, client certificate and server_name        | ca_file: ca.pem, cert_file: client.pem, key_file: client-key.pem, server_name: alertmanager.test | true
            no client certificate                         | ca_file: ca.pem, server_name: alertmanager.test                                                    | false
            client certificate from another CA            | ca_file: ca.pem, cert_file: stranger.pem, key_file: stranger-key.pem, server_name: alertmanager.test | false
            no server_name: certificate is not for 127.0.0.1 | ca_file: ca.pem, cert_file: client.pem, key_file: client-key.pem                              | false
            wrong server_name                             | ca_file: ca.pem, cert_file: client.pem, key_file: client-key.pem, server_name: other.test        | false
            server not trusted without ca_file            | cert_file: client.pem, key_file: client-key.pem, server_name: alertmanager.test                  | false
            insecure_skip_verify with client certificate  | insecure_skip_verify: true, cert_file: client.pem, key_file: client-key.pem                      | true
            """)
    void tlsConfig(String name, String tls, boolean delivered) throws Exception {
        double errorsBefore = EvaluatorMetrics.NOTIFICATIONS_ERRORS
                .labelValues("https://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/alerts").get();
        assertThat(deliver("tls_config: {" + tls + "}\n")).isEqualTo(delivered);
        double errors = EvaluatorMetrics.NOTIFICATIONS_ERRORS
                .labelValues("https://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/alerts").get();
        assertThat(errors - errorsBefore).isEqualTo(delivered ? 0 : 1);
    }

    @Test
    void unreadableTlsFileIsAnErrorThatNamesTheFile() {
        assertThatThrownBy(() -> sets("tls_config: {ca_file: missing-ca.pem}\n"))
                .hasMessageContaining("missing-ca.pem");
    }

    @Test
    void credentialsFilesAreReadForEveryRequest() throws Exception {
        Path token = dir.resolve("token");
        Path password = dir.resolve("password");
        String tls = "tls_config: {ca_file: ca.pem, cert_file: client.pem, key_file: client-key.pem, server_name: "
                + "alertmanager.test}\n";
        Files.writeString(token, "first\n");
        try (AlertmanagerNotifier notifier = new AlertmanagerNotifier(sets(tls + "authorization: {credentials_file: token}\n"),
                Labels.EMPTY, List.of(), "", 100)) {
            assertThat(sendOne(notifier)).isTrue();
            Files.writeString(token, "second\n");
            assertThat(sendOne(notifier)).isTrue();
        }
        Files.writeString(password, "p1");
        try (AlertmanagerNotifier notifier = new AlertmanagerNotifier(
                sets(tls + "basic_auth: {username: u, password_file: password}\n"), Labels.EMPTY, List.of(), "", 100)) {
            assertThat(sendOne(notifier)).isTrue();
            Files.writeString(password, "p2");
            assertThat(sendOne(notifier)).isTrue();
        }
        assertThat(received).containsExactly("Bearer first", "Bearer second", "Basic dTpwMQ==", "Basic dTpwMg==");
    }
}
