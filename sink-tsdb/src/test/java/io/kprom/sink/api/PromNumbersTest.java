package io.kprom.sink.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromNumbersTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1, 1",
        "0, 0",
        "-0.0, -0",
        "0.1, 0.1",
        "-2.5, -2.5",
        "1e21, 1e+21",
        "1.5e21, 1.5e+21",
        "1e20, 100000000000000000000",
        "123456789012345680000, 123456789012345680000",
        "1e-6, 0.000001",
        "1e-7, 1e-07",
        "1.234e-8, 1.234e-08",
        "1e-100, 1e-100",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "0.30000000000000004, 0.30000000000000004",
        "2.82879384806159e17, 282879384806159000",
        "4954635564132841500, 4954635564132841000",
        "1e15, 1000000000000000",
        "123.456, 123.456",
        "4.35, 4.35",
        "Infinity, +Inf",
        "-Infinity, -Inf",
        "NaN, NaN",
    })
    void formatsValuesAsGo(double value, String expected) {
        assertThat(PromNumbers.formatValue(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1435781451781, 1435781451.781",
        "1435781451780, 1435781451.780",
        "1435781451001, 1435781451.001",
        "1435781451010, 1435781451.010",
        "4000, 4",
        "0, 0",
        "-1500, -1.500",
    })
    void formatsTimestampsAsSeconds(long millis, String expected) {
        assertThat(PromNumbers.formatTimestamp(millis)).isEqualTo(expected);
    }

    /** Every formatted value reads back exactly and has as few digits as the exact shortest search finds. */
    @Test
    void randomValuesAreShortestAndRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 8_000; i++) {
            double value = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                case 2 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
                default -> Math.round(random.nextDouble() * 1e6) / 1000.0;
            };
            String text = PromNumbers.formatValue(value);
            assertThat(Double.parseDouble(text)).as("round trip of %s", text).isEqualTo(value);
            assertThat(significantDigits(text)).as("digits of %s", text).isEqualTo(exactShortestDigits(value));
        }
    }

    private static int significantDigits(String text) {
        String mantissa = text.contains("e") ? text.substring(0, text.indexOf('e')) : text;
        return new BigDecimal(mantissa).stripTrailingZeros().precision();
    }

    private static int exactShortestDigits(double value) {
        BigDecimal exact = new BigDecimal(Math.abs(value));
        for (int precision = 1; precision <= 17; precision++) {
            if (exact.round(new MathContext(precision, RoundingMode.HALF_EVEN)).doubleValue() == Math.abs(value)) {
                return precision;
            }
        }
        return 17;
    }
}
