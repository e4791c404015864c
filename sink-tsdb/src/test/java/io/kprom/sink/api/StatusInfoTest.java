package io.kprom.sink.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusInfoTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"PT360H, 15d", "PT336H, 2w", "PT2160H, 90d", "PT8760H, 1y", "PT1H30M, 1h30m", "PT0S, 0s",
        "PT0.1S, 100ms"})
    void formatsDurationsAsPrometheus(Duration duration, String expected) {
        assertThat(StatusInfo.formatDuration(duration)).isEqualTo(expected);
    }
}
