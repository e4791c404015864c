package io.kprom.scraper.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.TlsConfig;
import io.kprom.scraper.TestConfigs;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tls_config server_name / insecure_skip_verify and the proxy settings, against real servers on loopback. */
class HttpClientsTlsProxyTest {
    private static final String DNS_NAME = "scrape.example";
    private static TestTls tls;
    private static LoopbackServers.Metrics tlsTarget;

    @BeforeAll
    static void startTlsTarget() throws Exception {
        tls = TestTls.forDnsName(DNS_NAME);
        tlsTarget = LoopbackServers.Metrics.tls(tls.serverContext());
    }

    @AfterAll
    static void stopTlsTarget() throws IOException {
        tlsTarget.close();
    }

    @Test
    void serverNameIsSentInSniAndTheCertificateIsVerifiedAgainstIt() throws Exception {
        int before = tlsTarget.serverNames.size();
        assertThat(get(config(tlsConfig(tls.caPem(), DNS_NAME, false)), tlsUrl())).isEqualTo("target_up 1\n");
        assertThat(tlsTarget.serverNames.subList(before, tlsTarget.serverNames.size())).containsExactly(DNS_NAME);
    }

    @Test
    void withoutServerNameTheAddressDoesNotMatchTheCertificate() throws Exception {
        assertThatThrownBy(() -> get(config(tlsConfig(tls.caPem(), null, false)), tlsUrl()))
                .isInstanceOf(SSLException.class).hasMessageContaining("Hostname 127.0.0.1 not verified");
    }

    @Test
    void aServerNameTheCertificateDoesNotNameFailsVerification() throws Exception {
        assertThatThrownBy(() -> get(config(tlsConfig(tls.caPem(), "other.example", false)), tlsUrl()))
                .isInstanceOf(SSLException.class).hasMessageContaining("not verified");
    }

    @Test
    void anUntrustedCertificateFailsUnlessInsecureSkipVerify() throws Exception {
        assertThatThrownBy(() -> get(config(tlsConfig(null, DNS_NAME, false)), tlsUrl())).isInstanceOf(SSLException.class);
        assertThat(get(config(tlsConfig(null, null, true)), tlsUrl())).isEqualTo("target_up 1\n");
    }

    @Test
    void httpsThroughProxyUrlSendsTheConnectHeadersAndCredentials() throws Exception {
        try (LoopbackServers.Proxy proxy = LoopbackServers.Proxy.start()) {
            HttpClientConfig config = TestConfigs.scrape("""
                      - job_name: tunnel
                        proxy_url: http://scraper:s3cret@127.0.0.1:%d
                        proxy_connect_header:
                          X-Proxy-Token: [t1, t2]
                        tls_config:
                          insecure_skip_verify: true
                    """.formatted(proxy.port())).httpClientConfig();

            assertThat(get(config, tlsUrl())).isEqualTo("target_up 1\n");

            assertThat(proxy.requests).singleElement().satisfies(head -> assertThat(head)
                    .startsWith("CONNECT 127.0.0.1:" + tlsTarget.port() + " HTTP/1.1\r\n")
                    .contains("X-Proxy-Token: t1\r\n", "X-Proxy-Token: t2\r\n",
                            "Proxy-Authorization: Basic c2NyYXBlcjpzM2NyZXQ=\r\n"));
        }
    }

    @Test
    void noProxyHostsGoDirect() throws Exception {
        try (LoopbackServers.Proxy proxy = LoopbackServers.Proxy.start();
                LoopbackServers.Metrics target = LoopbackServers.Metrics.plain()) {
            String url = "http://127.0.0.1:" + target.port() + "/metrics";
            HttpClientConfig proxied = TestConfigs.scrape("""
                      - job_name: proxied
                        proxy_url: http://127.0.0.1:%d
                        no_proxy: example.com,10.0.0.0/8
                    """.formatted(proxy.port())).httpClientConfig();
            HttpClientConfig bypassed = TestConfigs.scrape("""
                      - job_name: bypassed
                        proxy_url: http://127.0.0.1:%d
                        no_proxy: example.com,127.0.0.0/8
                    """.formatted(proxy.port())).httpClientConfig();

            assertThat(get(proxied, url)).isEqualTo("via_proxy 1\n");
            assertThat(proxy.requests).singleElement().satisfies(head -> assertThat(head).startsWith("GET " + url + " HTTP/1.1"));
            assertThat(get(bypassed, url)).isEqualTo("target_up 1\n");
            assertThat(proxy.requests).hasSize(1);
            assertThat(target.requests).hasSize(1);
        }
    }

    @Test
    void proxyFromEnvironmentReadsHttpProxyAndNoProxy() throws Exception {
        try (LoopbackServers.Proxy proxy = LoopbackServers.Proxy.start();
                LoopbackServers.Metrics target = LoopbackServers.Metrics.plain()) {
            String url = "http://127.0.0.1:" + target.port() + "/metrics";
            HttpClientConfig config = TestConfigs.scrape("""
                      - job_name: environment
                        proxy_from_environment: true
                    """).httpClientConfig();
            assertThat(config.proxyFromEnvironment()).isTrue();

            Map<String, String> proxied = Map.of("http_proxy", "127.0.0.1:" + proxy.port());
            assertThat(get(config, url, proxied)).isEqualTo("via_proxy 1\n");
            Map<String, String> excluded = Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port(), "NO_PROXY", "127.0.0.1");
            assertThat(get(config, url, excluded)).isEqualTo("target_up 1\n");
            assertThat(get(config, url, Map.of())).isEqualTo("target_up 1\n");
            assertThat(proxy.requests).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0} with no_proxy {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "http://a.example.com/metrics   | example.com          | true",
        "http://example.com/metrics     | example.com          | true",
        "http://example.com/metrics     | .example.com         | false",
        "http://a.example.com/metrics   | .example.com         | true",
        "http://notexample.com/metrics  | example.com          | false",
        "http://10.1.2.3:9100/metrics   | 10.0.0.0/8           | true",
        "http://11.1.2.3:9100/metrics   | 10.0.0.0/8           | false",
        "http://[fd00::1]:9100/metrics  | fd00::/8             | true",
        "http://host:9100/metrics       | host:9100            | true",
        "http://host:9101/metrics       | host:9100            | false",
        "http://anything/metrics        | *                    | true",
        "http://host/metrics            | other, HOST          | true",
    })
    void noProxyMatchesLikeGo(String url, String noProxy, boolean bypassed) {
        HttpClientConfig config = new HttpClientConfig(null, null, TlsConfig.DEFAULT, "http://proxy:3128", true, true, Map.of(),
                noProxy, false, Map.of());
        assertThat(ProxyRouting.of(config, Map.of()).bypasses(URI.create(url))).isEqualTo(bypassed);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "no_proxy: example.com                                          | if no_proxy is configured, proxy_url must also be configured",
        "proxy_from_environment: true\\n    proxy_url: http://p:1         | if proxy_from_environment is configured, proxy_url must not be configured",
        "proxy_connect_header:\\n      X-A: [b]                           | if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured",
    })
    void inconsistentProxySettingsAreRejected(String yaml, String message) {
        String file = "scrape_configs:\n  - job_name: bad\n    " + yaml.replace("\\n", "\n") + "\n";
        assertThatThrownBy(() -> io.kprom.common.config.PrometheusConfig.parse(file, null)).hasMessageContaining(message);
    }

    private static String tlsUrl() {
        return "https://127.0.0.1:" + tlsTarget.port() + "/metrics";
    }

    private static TlsConfig tlsConfig(String ca, String serverName, boolean insecure) {
        return new TlsConfig(null, ca, null, null, null, null, serverName, insecure, null, null);
    }

    private static HttpClientConfig config(TlsConfig tlsConfig) {
        return new HttpClientConfig(null, null, tlsConfig, null, true, true, Map.of());
    }

    private static String get(HttpClientConfig config, String url) throws IOException {
        return get(config, url, Map.of());
    }

    private static String get(HttpClientConfig config, String url, Map<String, String> environment) throws IOException {
        try (HttpClients clients = new HttpClients(environment)) {
            OkHttpClient client = clients.forConfig(config);
            try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
                assertThat(response.code()).isEqualTo(200);
                return response.body().string();
            }
        }
    }
}
