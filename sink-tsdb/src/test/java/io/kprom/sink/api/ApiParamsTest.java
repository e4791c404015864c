package io.kprom.sink.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiParamsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "4, 4000",
        "1435781451.781, 1435781451781",
        "1435781451.7815, 1435781451782",
        "-1.5, -1500",
        "1e3, 1000000",
        "2015-07-01T20:10:51.781Z, 1435781451781",
        "2015-07-01T22:10:51+02:00, 1435781451000",
        "-292273086-05-16T16:47:06Z, -9223309901257974",
        "292277025-08-18T07:12:54.999999999Z, 9223309901257974",
    })
    void parsesTimes(String text, long millis) {
        assertThat(ApiParams.parseTimeMillis(text)).isEqualTo(millis);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "abc", "2015-07-01", "1d", " 4", "2015-07-01 20:10:51Z"})
    void rejectsBadTimes(String text) {
        assertThatThrownBy(() -> ApiParams.parseTimeMillis(text))
                .hasMessage("cannot parse \"" + text + "\" to a valid timestamp");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "15, 15000000000",
        "0.5, 500000000",
        "15s, 15000000000",
        "1m30s, 90000000000",
        "1h, 3600000000000",
        "100ms, 100000000",
        "1d, 86400000000000",
        "1w, 604800000000000",
        "1y, 31536000000000000",
    })
    void parsesDurations(String text, long nanos) {
        assertThat(ApiParams.parseDurationNanos(text)).isEqualTo(nanos);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "abc", "1s1m", "5x", "1.5m", "-1m"})
    void rejectsBadDurations(String text) {
        assertThatThrownBy(() -> ApiParams.parseDurationNanos(text))
                .hasMessage("cannot parse \"" + text + "\" to a valid duration");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "abc|strconv.Atoi: parsing \"abc\": invalid syntax",
        "-1|limit must be non-negative",
    })
    void rejectsBadLimits(String text, String message) {
        assertThatThrownBy(() -> ApiParams.parseLimit(text)).hasMessage(message);
    }
}
