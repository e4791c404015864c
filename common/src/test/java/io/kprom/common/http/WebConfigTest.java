package io.kprom.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WebConfigTest {
    @Test
    void parsesEveryField() {
        WebConfig config = WebConfig.parse("""
                tls_server_config:
                  cert_file: a.crt
                  key_file: /abs/a.key
                  client_auth_type: VerifyClientCertIfGiven
                  client_ca_file: ca.crt
                  min_version: TLS11
                http_server_config:
                  headers: {Strict-Transport-Security: max-age=31536000}
                basic_auth_users:
                  alice: $2y$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz012345
                """, Path.of("/etc/kprom"));
        assertThat(config.tls().certFile()).isEqualTo(Path.of("/etc/kprom/a.crt"));
        assertThat(config.tls().keyFile()).isEqualTo(Path.of("/abs/a.key"));
        assertThat(config.tls().clientCaFile()).isEqualTo(Path.of("/etc/kprom/ca.crt"));
        assertThat(config.tls().protocols()).containsExactly("TLSv1.1", "TLSv1.2", "TLSv1.3");
        assertThat(config.headers()).containsEntry("Strict-Transport-Security", "max-age=31536000");
        assertThat(config.basicAuthUsers()).containsOnlyKeys("alice");
    }

    @Test
    void emptyFileMeansNoSecurity() {
        assertThat(WebConfig.parse("", null)).isEqualTo(WebConfig.NONE);
        assertThat(WebConfig.parse("tls_server_config: {}\n", null).tls()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown top-level field|bogus: 1|field bogus not found",
        "unknown tls field|'tls_server_config: {cert_file: a, key_file: b, certfile: c}'|field tls_server_config.certfile not found",
        "cert without key|'tls_server_config: {cert_file: a}'|needs both cert_file and key_file",
        "bad client auth|'tls_server_config: {cert_file: a, key_file: b, client_auth_type: Maybe}'|invalid client_auth_type 'Maybe'",
        "verify without CA|'tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}'|needs client_ca_file",
        "bad version|'tls_server_config: {cert_file: a, key_file: b, min_version: SSL3}'|unknown TLS version",
        "plain password|'basic_auth_users: {bob: hunter2}'|basic_auth_users.bob is not a bcrypt hash",
    })
    void rejectsInvalidConfigs(String name, String yaml, String message) {
        assertThatThrownBy(() -> WebConfig.parse(yaml, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void loadNamesTheFile() {
        assertThatThrownBy(() -> WebConfig.load(Path.of("/nonexistent/web.yml")))
                .hasMessageContaining("/nonexistent/web.yml");
        assertThat(List.of()).isEmpty();
    }
}
