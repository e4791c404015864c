package io.kprom.scraper.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decimal-to-double conversion must equal {@link Double#parseDouble} bit for bit on every input: table
 * of edge cases (subnormals, overflow, exact ties, 800+ digits) and randomized decimals, including exact
 * midpoints between neighbouring doubles and points a hair off them, which force the slow path.
 */
class NumberParserPropertyTest {
    private static final int RANDOM_CASES = 30_000;

    static Stream<String> edgeCases() {
        List<String> cases = new ArrayList<>(List.of(
                "0", "0.0", "00000", "0e999999", "1", "0.1", "0.3", "1e23", "8.98846567431158e307",
                "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995",
                "9007199254740993.0000000000000000000000001", "9007199254740992.9999999999999999999999999",
                "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
                "4.9e-324", "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.47032822920623272e-324",
                "1e-400", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309",
                "179769313486231580793728971405301e276", "12345678901234567890", "123456789012345678901234567890",
                "0.000000000000000000000000000000000000000000001", "7.2057594037927933e16", "1.00000000000000011102230246251565404236316680908203125",
                "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126",
                "3.0540000000000003e-05", "1.9156918820264798e-56", "6.6564021122018745e+264",
                "4.40892098500626161694526672363281250e-16", "123474.09000000001", "1.7e+09", "0.0001220703125",
                "1E5", "1e+5", "1e-5", "1.e5", ".5e1", "9999999999999999999", "18446744073709551615",
                "18446744073709551616", "1000000000000000000000000000000000000000000000000000000000001e-60"));
        cases.add("1" + "0".repeat(900) + "e-900");
        // Half the smallest subnormal, exactly (751 significant digits), then a hair above it.
        String halfMinimum = new BigDecimal(Double.MIN_VALUE).divide(BigDecimal.valueOf(2)).toPlainString();
        cases.add(halfMinimum);
        cases.add(halfMinimum + "0".repeat(100) + "1");
        cases.add(new BigDecimal(Double.MAX_VALUE).add(new BigDecimal(Math.ulp(Double.MAX_VALUE) / 2)).toPlainString());
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeCases")
    void edgeCasesMatchJava(String text) {
        assertMatches(text);
        assertMatches("-" + text);
    }

    @Test
    void randomDecimalsMatchJava() {
        SplittableRandom random = new SplittableRandom(20261129L);
        for (int n = 0; n < RANDOM_CASES; n++) {
            assertMatches(randomDecimal(random));
        }
    }

    /** Exact midpoints between adjacent doubles (and just off them) decide rounding on the last digit. */
    @Test
    void midpointsBetweenDoublesRoundHalfToEven() {
        SplittableRandom random = new SplittableRandom(7L);
        for (int n = 0; n < 1_500; n++) {
            double d = randomDouble(random);
            BigDecimal low = new BigDecimal(d);
            BigDecimal midpoint = low.add(new BigDecimal(Math.nextUp(d))).divide(BigDecimal.valueOf(2));
            BigDecimal tiny = midpoint.ulp();
            for (BigDecimal value : List.of(midpoint, midpoint.add(tiny), midpoint.subtract(tiny),
                    midpoint.round(new MathContext(17)), midpoint.round(new MathContext(25)))) {
                assertMatches(value.toString());
                assertMatches(value.toPlainString());
            }
            assertMatches(Double.toString(d));
            assertMatches(low.toString());
        }
    }

    private static double randomDouble(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> Double.longBitsToDouble(random.nextLong(0x7ff0000000000000L));
            case 1 -> Double.longBitsToDouble(random.nextLong(0x0010000000000000L)); // subnormal
            default -> random.nextDouble() * Math.pow(10, random.nextInt(-20, 20));
        };
    }

    private static String randomDecimal(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int integerDigits = random.nextInt(0, random.nextBoolean() ? 4 : 30);
        int fractionDigits = random.nextInt(integerDigits == 0 ? 1 : 0, random.nextBoolean() ? 4 : 30);
        for (int i = 0; i < integerDigits; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        if (fractionDigits > 0 || random.nextInt(10) == 0) {
            sb.append('.');
        }
        for (int i = 0; i < fractionDigits; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        if (integerDigits == 0 && fractionDigits == 0) {
            sb.append('0');
        }
        if (random.nextInt(3) > 0) {
            sb.append(random.nextBoolean() ? 'e' : 'E');
            int sign = random.nextInt(3);
            sb.append(sign == 0 ? "" : sign == 1 ? "+" : "-");
            sb.append(random.nextInt(0, 360));
        }
        return sb.toString();
    }

    private static void assertMatches(String text) {
        byte[] bytes = ("x" + text + "y").getBytes(StandardCharsets.US_ASCII);
        long bits = NumberParser.parseDoubleBits(bytes, 1, bytes.length - 1);
        assertThat(Long.toHexString(bits)).as(text)
                .isEqualTo(Long.toHexString(Double.doubleToRawLongBits(Double.parseDouble(text))));
    }
}
