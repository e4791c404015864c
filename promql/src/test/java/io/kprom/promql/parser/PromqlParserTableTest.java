package io.kprom.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven parser tests. Valid queries state the exact tree as an S-expression ({@link Sexpr}); invalid
 * queries state Prometheus's full error message including {@code line:column}. The messages follow
 * Prometheus 3.x's parser (generated_parser.y, lex.go, parse.go).
 */
class PromqlParserTableTest {
    /** query ==> tree. */
    private static final String VALID = """
foo @ 3.3335 ==> foo{__name__="foo"} at=3334
foo @ -3.3335 ==> foo{__name__="foo"} at=-3334
foo @ 0.0004999999999999999 ==> foo{__name__="foo"} at=0
foo @ .3 ==> foo{__name__="foo"} at=300
foo @ 3e-1 ==> foo{__name__="foo"} at=300
min ==> min{__name__="min"}
1 ==> 1
+1 ==> 1
-1 ==> -1
- -1 ==> 1
1.5 ==> 1.5
.5 ==> 0.5
5. ==> 5
0x1F ==> 31
0X_1f ==> 31
010 ==> 8
1_000 ==> 1000
1e3 ==> 1000
1E-3 ==> 0.001
2.5e+2 ==> 250
Inf ==> +Inf
+Inf ==> +Inf
-Inf ==> -Inf
inf ==> +Inf
NaN ==> NaN
nan ==> NaN
5m ==> 300
1h30m ==> 5400
1y2w3d4h5m6s7ms ==> 33019506.007
100ms ==> 0.1
-5m ==> -300
"double" ==> "double"
'single' ==> "single"
`raw \\n string` ==> "raw \\\\n string"
"escapes \\a\\b\\f\\n\\r\\t\\v\\\\\\"" ==> "escapes \\a\\b\\f\\n\\r\\t\\v\\\\\\""
'it\\'s' ==> "it's"
"\\x41\\101\\u00e9\\U0001F600" ==> "AAé😀"
"\\xc3\\xa9" ==> "é"
1 + 2 ==> (+ 1 2)
1 + 2 * 3 ==> (+ 1 (* 2 3))
(1 + 2) * 3 ==> (* (paren (+ 1 2)) 3)
1 - 2 - 3 ==> (- (- 1 2) 3)
2 ^ 3 ^ 2 ==> (^ 2 (^ 3 2))
-2 ^ 2 ==> (neg (^ 2 2))
2 ^ -1 ==> (^ 2 -1)
-a ^ 2 ==> (neg (^ a{__name__="a"} 2))
-a * b ==> (* (neg a{__name__="a"}) b{__name__="b"})
a * -b ==> (* a{__name__="a"} (neg b{__name__="b"}))
1 + 2 / 3 % 4 * 5 ==> (+ 1 (* (% (/ 2 3) 4) 5))
a atan2 b ==> (atan2 a{__name__="a"} b{__name__="b"})
1 < bool 2 ==> (< bool 1 2)
1 == bool 1 ==> (== bool 1 1)
a > 1 ==> (> a{__name__="a"} 1)
a >= b ==> (>= a{__name__="a"} b{__name__="b"})
a <= b ==> (<= a{__name__="a"} b{__name__="b"})
a != b ==> (!= a{__name__="a"} b{__name__="b"})
a == b ==> (== a{__name__="a"} b{__name__="b"})
a < b ==> (< a{__name__="a"} b{__name__="b"})
a > bool b ==> (> bool a{__name__="a"} b{__name__="b"})
a + on(b) c ==> (+ on(b) a{__name__="a"} c{__name__="c"})
a + on() c ==> (+ on() a{__name__="a"} c{__name__="c"})
a + ignoring(b, c) d ==> (+ ignoring(b,c) a{__name__="a"} d{__name__="d"})
a + ignoring() d ==> (+ a{__name__="a"} d{__name__="d"})
a * on(b) group_left c ==> (* on(b) group_left() a{__name__="a"} c{__name__="c"})
a * on(b) group_left(d, e) c ==> (* on(b) group_left(d,e) a{__name__="a"} c{__name__="c"})
a * ignoring(b) group_right(d) c ==> (* ignoring(b) group_right(d) a{__name__="a"} c{__name__="c"})
a / on(x,) group_left(y,) b ==> (/ on(x) group_left(y) a{__name__="a"} b{__name__="b"})
a and b ==> (and many a{__name__="a"} b{__name__="b"})
a or b ==> (or many a{__name__="a"} b{__name__="b"})
a unless b ==> (unless many a{__name__="a"} b{__name__="b"})
a and on(x) b ==> (and on(x) many a{__name__="a"} b{__name__="b"})
a or ignoring(x) b ==> (or ignoring(x) many a{__name__="a"} b{__name__="b"})
a or b and c ==> (or many a{__name__="a"} (and many b{__name__="b"} c{__name__="c"}))
a and b or c and d ==> (or many (and many a{__name__="a"} b{__name__="b"}) (and many c{__name__="c"} d{__name__="d"}))
a unless b or c ==> (or many (unless many a{__name__="a"} b{__name__="b"}) c{__name__="c"})
a or b == c + d * e ^ f ==> (or many a{__name__="a"} (== b{__name__="b"} (+ c{__name__="c"} (* d{__name__="d"} (^ e{__name__="e"} f{__name__="f"})))))
a == b and c > d ==> (and many (== a{__name__="a"} b{__name__="b"}) (> c{__name__="c"} d{__name__="d"}))
1 + a ==> (+ 1 a{__name__="a"})
a - 1 ==> (- a{__name__="a"} 1)
-a ==> (neg a{__name__="a"})
+a ==> (pos a{__name__="a"})
-(a) ==> (neg (paren a{__name__="a"}))
-(1) ==> (neg (paren 1))
--a ==> (neg (neg a{__name__="a"}))
-rate(foo[5m]) ==> (neg (rate (range foo{__name__="foo"} 300000)))
foo ==> foo{__name__="foo"}
foo:bar ==> foo:bar{__name__="foo:bar"}
:foo ==> :foo{__name__=":foo"}
foo_bar123 ==> foo_bar123{__name__="foo_bar123"}
Foo ==> Foo{__name__="Foo"}
foo{} ==> foo{__name__="foo"}
foo{a="b"} ==> foo{a="b",__name__="foo"}
foo{a="b",} ==> foo{a="b",__name__="foo"}
foo{a!="b"} ==> foo{a!="b",__name__="foo"}
foo{a=~"b.*"} ==> foo{a=~"b.*",__name__="foo"}
foo{a!~"b|c"} ==> foo{a!~"b|c",__name__="foo"}
foo{a="b", c!="d", e=~"f", g!~"h"} ==> foo{a="b",c!="d",e=~"f",g!~"h",__name__="foo"}
{a="b"} ==> {a="b"}
{__name__="foo"} ==> {__name__="foo"}
{__name__=~"foo.*"} ==> {__name__=~"foo.*"}
{"my.metric"} ==> {__name__="my.metric"}
{"my.metric", "a.b"="c"} ==> {__name__="my.metric","a.b"="c"}
{"my.metric", a="b"} ==> {__name__="my.metric",a="b"}
foo{"a.b"="c"} ==> foo{"a.b"="c",__name__="foo"}
foo{'single'="x"} ==> foo{single="x",__name__="foo"}
foo{a=`raw`} ==> foo{a="raw",__name__="foo"}
foo{a='single'} ==> foo{a="single",__name__="foo"}
foo{and="x", by="y", offset="z"} ==> foo{and="x",by="y",offset="z",__name__="foo"}
foo{a="\\n\\"x\\""} ==> foo{a="\\n\\"x\\"",__name__="foo"}
foo{a=~".*", b="x"} ==> foo{a=~".*",b="x",__name__="foo"}
{a=~".+"} ==> {a=~".+"}
{a!=""} ==> {a!=""}
sum ==> sum{__name__="sum"}
by ==> by{__name__="by"}
without ==> without{__name__="without"}
offset ==> offset{__name__="offset"}
and ==> and{__name__="and"}
start ==> start{__name__="start"}
end ==> end{__name__="end"}
foo[5m] ==> (range foo{__name__="foo"} 300000)
foo[1h30m] ==> (range foo{__name__="foo"} 5400000)
foo[5] ==> (range foo{__name__="foo"} 5000)
foo[1.5] ==> (range foo{__name__="foo"} 1500)
foo[100ms] ==> (range foo{__name__="foo"} 100)
foo{a="b"}[5m] ==> (range foo{a="b",__name__="foo"} 300000)
foo[5m] offset 1m ==> (range foo{__name__="foo"} offset=60000 300000)
foo offset 1m ==> foo{__name__="foo"} offset=60000
foo offset -1m ==> foo{__name__="foo"} offset=-60000
foo offset 1.5 ==> foo{__name__="foo"} offset=1500
foo OFFSET 1m ==> foo{__name__="foo"} offset=60000
foo offset 5 ==> foo{__name__="foo"} offset=5000
foo[5m] offset -1h ==> (range foo{__name__="foo"} offset=-3600000 300000)
foo @ 100 ==> foo{__name__="foo"} at=100000
foo @ 1.5 ==> foo{__name__="foo"} at=1500
foo @ -100 ==> foo{__name__="foo"} at=-100000
foo @ +100 ==> foo{__name__="foo"} at=100000
foo @ 1m ==> foo{__name__="foo"} at=60000
foo @ 0x10 ==> foo{__name__="foo"} at=16000
foo @ start() ==> foo{__name__="foo"} at=start
foo @ end() ==> foo{__name__="foo"} at=end
foo @ 100 offset 5m ==> foo{__name__="foo"} offset=300000 at=100000
foo offset 5m @ 100 ==> foo{__name__="foo"} offset=300000 at=100000
foo[5m] @ 100 ==> (range foo{__name__="foo"} at=100000 300000)
foo[5m] @ start() offset 1m ==> (range foo{__name__="foo"} offset=60000 at=start 300000)
foo[5m] offset 1m @ end() ==> (range foo{__name__="foo"} offset=60000 at=end 300000)
foo @ 1.0005 ==> foo{__name__="foo"} at=1001
foo @ -1.0005 ==> foo{__name__="foo"} at=-1001
foo[5m:1m] ==> (subquery foo{__name__="foo"} 300000 60000)
foo[5m:] ==> (subquery foo{__name__="foo"} 300000 0)
foo[5m:1] ==> (subquery foo{__name__="foo"} 300000 1000)
foo[5:1.5] ==> (subquery foo{__name__="foo"} 5000 1500)
foo[5m:1m] offset 1m ==> (subquery foo{__name__="foo"} 300000 60000 offset=60000)
foo[5m:1m] @ 100 ==> (subquery foo{__name__="foo"} 300000 60000 at=100000)
foo[5m:1m] offset -1m @ end() ==> (subquery foo{__name__="foo"} 300000 60000 offset=-60000 at=end)
rate(foo[5m])[30m:1m] ==> (subquery (rate (range foo{__name__="foo"} 300000)) 1800000 60000)
(a + b)[5m:] ==> (subquery (paren (+ a{__name__="a"} b{__name__="b"})) 300000 0)
sum(a)[5m:1m] ==> (subquery (sum a{__name__="a"}) 300000 60000)
max_over_time(rate(foo[5m])[30m:1m]) ==> (max_over_time (subquery (rate (range foo{__name__="foo"} 300000)) 1800000 60000))
min_over_time(rate(foo{bar="baz"}[2s])[5m:])[4m:3s] ==> (subquery (min_over_time (subquery (rate (range foo{bar="baz",__name__="foo"} 2000)) 300000 0)) 240000 3000)
abs(a)[5m:] ==> (subquery (abs a{__name__="a"}) 300000 0)
time() ==> (time)
pi() ==> (pi)
rate(foo[5m]) ==> (rate (range foo{__name__="foo"} 300000))
rate(foo[5m] offset 1m) ==> (rate (range foo{__name__="foo"} offset=60000 300000))
irate(foo[1m]) ==> (irate (range foo{__name__="foo"} 60000))
increase(foo[1h]) ==> (increase (range foo{__name__="foo"} 3600000))
delta(foo[1h]) ==> (delta (range foo{__name__="foo"} 3600000))
idelta(foo[1h]) ==> (idelta (range foo{__name__="foo"} 3600000))
deriv(foo[1h]) ==> (deriv (range foo{__name__="foo"} 3600000))
predict_linear(foo[1h], 3600) ==> (predict_linear (range foo{__name__="foo"} 3600000) 3600)
histogram_quantile(0.9, rate(foo_bucket[5m])) ==> (histogram_quantile 0.9 (rate (range foo_bucket{__name__="foo_bucket"} 300000)))
histogram_fraction(0, 0.2, rate(foo[5m])) ==> (histogram_fraction 0 0.2 (rate (range foo{__name__="foo"} 300000)))
histogram_count(foo) ==> (histogram_count foo{__name__="foo"})
histogram_sum(foo) ==> (histogram_sum foo{__name__="foo"})
histogram_avg(foo) ==> (histogram_avg foo{__name__="foo"})
histogram_stddev(foo) ==> (histogram_stddev foo{__name__="foo"})
histogram_stdvar(foo) ==> (histogram_stdvar foo{__name__="foo"})
quantile_over_time(0.5, foo[5m]) ==> (quantile_over_time 0.5 (range foo{__name__="foo"} 300000))
label_replace(foo, "dst", "$1", "src", "(.*)") ==> (label_replace foo{__name__="foo"} "dst" "$1" "src" "(.*)")
label_join(foo, "dst", ",", "a", "b", "c") ==> (label_join foo{__name__="foo"} "dst" "," "a" "b" "c")
label_join(foo, "dst", ",") ==> (label_join foo{__name__="foo"} "dst" ",")
sort(foo) ==> (sort foo{__name__="foo"})
sort_desc(foo) ==> (sort_desc foo{__name__="foo"})
sort_by_label(foo, "a", "b") ==> (sort_by_label foo{__name__="foo"} "a" "b")
sort_by_label_desc(foo, "a") ==> (sort_by_label_desc foo{__name__="foo"} "a")
round(foo) ==> (round foo{__name__="foo"})
round(foo, 0.5) ==> (round foo{__name__="foo"} 0.5)
clamp(foo, 0, 1) ==> (clamp foo{__name__="foo"} 0 1)
clamp_min(foo, 0) ==> (clamp_min foo{__name__="foo"} 0)
clamp_max(foo, 1) ==> (clamp_max foo{__name__="foo"} 1)
scalar(foo) ==> (scalar foo{__name__="foo"})
vector(1) ==> (vector 1)
vector(time()) ==> (vector (time))
timestamp(foo) ==> (timestamp foo{__name__="foo"})
absent(foo) ==> (absent foo{__name__="foo"})
absent_over_time(foo[5m]) ==> (absent_over_time (range foo{__name__="foo"} 300000))
present_over_time(foo[5m]) ==> (present_over_time (range foo{__name__="foo"} 300000))
day_of_month() ==> (day_of_month)
day_of_month(foo) ==> (day_of_month foo{__name__="foo"})
day_of_week() ==> (day_of_week)
day_of_year(foo) ==> (day_of_year foo{__name__="foo"})
days_in_month() ==> (days_in_month)
hour() ==> (hour)
minute(foo) ==> (minute foo{__name__="foo"})
month() ==> (month)
year(foo) ==> (year foo{__name__="foo"})
double_exponential_smoothing(foo[5m], 0.5, 0.5) ==> (double_exponential_smoothing (range foo{__name__="foo"} 300000) 0.5 0.5)
mad_over_time(foo[5m]) ==> (mad_over_time (range foo{__name__="foo"} 300000))
last_over_time(foo[5m]) ==> (last_over_time (range foo{__name__="foo"} 300000))
first_over_time(foo[5m]) ==> (first_over_time (range foo{__name__="foo"} 300000))
ts_of_max_over_time(foo[5m]) ==> (ts_of_max_over_time (range foo{__name__="foo"} 300000))
ts_of_min_over_time(foo[5m]) ==> (ts_of_min_over_time (range foo{__name__="foo"} 300000))
ts_of_last_over_time(foo[5m]) ==> (ts_of_last_over_time (range foo{__name__="foo"} 300000))
ts_of_first_over_time(foo[5m]) ==> (ts_of_first_over_time (range foo{__name__="foo"} 300000))
info(foo) ==> (info foo{__name__="foo"})
info(foo, {job="x"}) ==> (info foo{__name__="foo"} {job="x"})
info(foo, {__name__=~"target_info"}) ==> (info foo{__name__="foo"} {__name__=~"target_info"})
exp(ln(log2(log10(sqrt(abs(foo)))))) ==> (exp (ln (log2 (log10 (sqrt (abs foo{__name__="foo"}))))))
sgn(foo) * ceil(foo) + floor(foo) ==> (+ (* (sgn foo{__name__="foo"}) (ceil foo{__name__="foo"})) (floor foo{__name__="foo"}))
deg(rad(foo)) ==> (deg (rad foo{__name__="foo"}))
sin(cos(tan(asin(acos(atan(foo)))))) ==> (sin (cos (tan (asin (acos (atan foo{__name__="foo"}))))))
sinh(cosh(tanh(asinh(acosh(atanh(foo)))))) ==> (sinh (cosh (tanh (asinh (acosh (atanh foo{__name__="foo"}))))))
changes(foo[5m]) ==> (changes (range foo{__name__="foo"} 300000))
resets(foo[5m]) ==> (resets (range foo{__name__="foo"} 300000))
avg_over_time(foo[5m]) + sum_over_time(foo[5m]) + count_over_time(foo[5m]) ==> (+ (+ (avg_over_time (range foo{__name__="foo"} 300000)) (sum_over_time (range foo{__name__="foo"} 300000))) (count_over_time (range foo{__name__="foo"} 300000)))
min_over_time(foo[5m]) + max_over_time(foo[5m]) + stddev_over_time(foo[5m]) + stdvar_over_time(foo[5m]) ==> (+ (+ (+ (min_over_time (range foo{__name__="foo"} 300000)) (max_over_time (range foo{__name__="foo"} 300000))) (stddev_over_time (range foo{__name__="foo"} 300000))) (stdvar_over_time (range foo{__name__="foo"} 300000)))
sum(foo) ==> (sum foo{__name__="foo"})
sum by (a) (foo) ==> (sum by(a) foo{__name__="foo"})
sum by (a, b) (foo) ==> (sum by(a,b) foo{__name__="foo"})
sum by (a,) (foo) ==> (sum by(a) foo{__name__="foo"})
sum by () (foo) ==> (sum foo{__name__="foo"})
sum without (a) (foo) ==> (sum without(a) foo{__name__="foo"})
sum without () (foo) ==> (sum without() foo{__name__="foo"})
sum(foo) by (a) ==> (sum by(a) foo{__name__="foo"})
sum(foo) without (a, b) ==> (sum without(a,b) foo{__name__="foo"})
SUM BY (a) (foo) ==> (sum by(a) foo{__name__="foo"})
avg(foo) ==> (avg foo{__name__="foo"})
count(foo) ==> (count foo{__name__="foo"})
min(foo) ==> (min foo{__name__="foo"})
max(foo) ==> (max foo{__name__="foo"})
group(foo) ==> (group foo{__name__="foo"})
stddev(foo) ==> (stddev foo{__name__="foo"})
stdvar(foo) ==> (stdvar foo{__name__="foo"})
topk(5, foo) ==> (topk 5 foo{__name__="foo"})
bottomk(5, foo) by (a) ==> (bottomk by(a) 5 foo{__name__="foo"})
quantile(0.9, foo) ==> (quantile 0.9 foo{__name__="foo"})
count_values("value", foo) ==> (count_values "value" foo{__name__="foo"})
limitk(2, foo) ==> (limitk 2 foo{__name__="foo"})
limit_ratio(0.5, foo) ==> (limit_ratio 0.5 foo{__name__="foo"})
topk by (a) (scalar(bar), foo) ==> (topk by(a) (scalar bar{__name__="bar"}) foo{__name__="foo"})
sum by (and, by, avg, count, offset, on, ignoring, group_left, group_right, bool, start, end, atan2, sum) (foo) ==> (sum by(and,by,avg,count,offset,on,ignoring,group_left,group_right,bool,start,end,atan2,sum) foo{__name__="foo"})
sum by ("a.b", "c") (foo) ==> (sum by(a.b,c) foo{__name__="foo"})
sum by (foo:bar) (foo) ==> (sum by(foo:bar) foo{__name__="foo"})
sum(sum) ==> (sum sum{__name__="sum"})
sum(count(foo)) ==> (sum (count foo{__name__="foo"}))
sum(rate(foo[5m])) by (job) ==> (sum by(job) (rate (range foo{__name__="foo"} 300000)))
sum by (job) (rate(foo[5m])) / on(job) group_left sum by (job) (rate(bar[5m])) ==> (/ on(job) group_left() (sum by(job) (rate (range foo{__name__="foo"} 300000))) (sum by(job) (rate (range bar{__name__="bar"} 300000))))
count(foo) > bool 1 ==> (> bool (count foo{__name__="foo"}) 1)
sum(foo) + sum(bar) ==> (+ (sum foo{__name__="foo"}) (sum bar{__name__="bar"}))
foo # trailing comment ==> foo{__name__="foo"}
            """;

    /** query ==> error message. */
    private static final String INVALID = """
foo[0m] ==> 1:5: parse error: duration must be greater than 0
foo[0] ==> 1:5: parse error: duration must be greater than 0
foo[0.0001] ==> 1:5: parse error: duration must be greater than 0
foo[0s:1m] ==> 1:5: parse error: duration must be greater than 0
foo[5y1hs] ==> 1:5: parse error: unknown unit "hs" in duration "5y1hs"
foo[5m1m] ==> 1:5: parse error: not a valid duration string: "5m1m"
foo[5m:1m1] ==> 1:8: parse error: bad number or duration syntax: "1m1"
some_metric OFFSET 1m[5m] ==> 1:22: parse error: no offset modifiers allowed before range
some_metric @ 1234 [5m] ==> 1:20: parse error: no @ modifiers allowed before range
some_metric[5m] @ ==> 1:18: parse error: unexpected end of input in @, expected timestamp
sum () by (test) ==> 1:1: parse error: no arguments for aggregate expression provided
sum (some_metric) by test ==> 1:22: parse error: unexpected identifier "test" in grouping opts, expected "("
foo{"a"=} ==> 1:9: parse error: unexpected "}" in label matching, expected string
1 + ==> 1:4: parse error: unexpected end of input
1 + ( ==> 1:6: parse error: unclosed left parenthesis
(1 ==> 1:3: parse error: unclosed left parenthesis
(1)) ==> 1:5: parse error: unexpected right parenthesis ')'
1) ==> 1:3: parse error: unexpected right parenthesis ')'
*test ==> 1:1: parse error: unexpected <op:*>
-"string" ==> 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"
-test[5m] ==> 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"
-(foo[5m]) ==> 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"
1 offset 1d ==> 1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery
foo offset 1s offset 2s ==> 1:1: parse error: offset may not be set multiple times
foo[5m] offset 1s offset 2s ==> 1:1: parse error: offset may not be set multiple times
foo[5m:] offset 1s offset 2s ==> 1:1: parse error: offset may not be set multiple times
a - on(b) ignoring(c) d ==> 1:11: parse error: unexpected <ignoring>
1 and 1 ==> 1:1: parse error: set operator "and" not allowed in binary scalar expression
1 or foo ==> 1:1: parse error: set operator "or" not allowed in binary scalar expression
foo unless 1 ==> 1:1: parse error: set operator "unless" not allowed in binary scalar expression
1 == 1 ==> 1:3: parse error: comparisons between scalars must use BOOL modifier
1 < 2 ==> 1:3: parse error: comparisons between scalars must use BOOL modifier
1 or on(bar) foo ==> 1:1: parse error: vector matching only allowed between instant vectors
foo == on(bar) 10 ==> 1:1: parse error: vector matching only allowed between instant vectors
foo + group_left(baz) bar ==> 1:7: parse error: unexpected <group_left>
foo and on(bar) group_left(baz) bar ==> 1:1: parse error: no grouping allowed for "and" operation
foo and on(bar) group_right(baz) bar ==> 1:1: parse error: no grouping allowed for "and" operation
foo or on(bar) group_left(baz) bar ==> 1:1: parse error: no grouping allowed for "or" operation
foo - on(bar) group_left(bar) bar ==> 1:5: parse error: label "bar" must not occur in ON and GROUP clause at once
foo - on(bar) group_right(x, bar) bar ==> 1:5: parse error: label "bar" must not occur in ON and GROUP clause at once
foo + bool bar ==> 1:5: parse error: bool modifier can only be used on comparison operators
foo + bool 10 ==> 1:5: parse error: bool modifier can only be used on comparison operators
foo and bool 10 ==> 1:5: parse error: bool modifier can only be used on comparison operators
1 + bool 2 ==> 1:3: parse error: bool modifier can only be used on comparison operators
foo * on bar ==> 1:10: parse error: unexpected identifier "bar" in grouping opts, expected "("
foo * on(bar baz) x ==> 1:14: parse error: unexpected identifier "baz" in grouping opts, expected "," or ")"
foo * on(1) x ==> 1:10: parse error: unexpected number "1" in grouping opts, expected label
{ ==> 1:2: parse error: unexpected end of input inside braces
} ==> 1:1: parse error: unexpected character: '}'
some{ ==> 1:6: parse error: unexpected end of input inside braces
some} ==> 1:5: parse error: unexpected character: '}'
some_metric{a=b} ==> 1:15: parse error: unexpected identifier "b" in label matching, expected string
some_metric{a:b="b"} ==> 1:14: parse error: unexpected character inside braces: ':'
foo{a*"b"} ==> 1:6: parse error: unexpected character inside braces: '*'
foo{a>="b"} ==> 1:6: parse error: unexpected character inside braces: '>'
foo{gibberish} ==> 1:14: parse error: unexpected "}" in label matching, expected label matching operator
foo{1} ==> 1:5: parse error: unexpected character inside braces: '1'
{} ==> 1:1: parse error: vector selector must contain at least one non-empty matcher
{x=""} ==> 1:1: parse error: vector selector must contain at least one non-empty matcher
{x=~".*"} ==> 1:1: parse error: vector selector must contain at least one non-empty matcher
{x!~".+"} ==> 1:1: parse error: vector selector must contain at least one non-empty matcher
{x!="a"} ==> 1:1: parse error: vector selector must contain at least one non-empty matcher
foo{__name__="bar"} ==> 1:1: parse error: metric name must not be set twice: "foo" or "bar"
foo{"bar"} ==> 1:1: parse error: metric name must not be set twice: "foo" or "bar"
foo{__name__= =} ==> 1:15: parse error: unexpected "=" in label matching, expected string
foo{,} ==> 1:5: parse error: unexpected "," in label matching, expected identifier or "}"
foo{__name__ == "bar"} ==> 1:15: parse error: unexpected "=" in label matching, expected string
foo{__name__="bar" lol} ==> 1:20: parse error: unexpected identifier "lol" in label matching, expected "," or "}"
foo{a="b" ==> 1:10: parse error: unexpected end of input inside braces
foo{a=~"("} ==> 1:5: parse error: error parsing regexp: missing closing ): `(`
foo{a!~"[z-a]"} ==> 1:5: parse error: error parsing regexp: invalid character class range: `z-a`
foo{{a="b"}} ==> 1:5: parse error: unexpected left brace '{'
foo{a="b"}} ==> 1:11: parse error: unexpected character: '}'
foo[5mm] ==> 1:5: parse error: bad number or duration syntax: "5mm"
foo[5m ==> 1:7: parse error: unclosed left bracket
foo[ ==> 1:5: parse error: unclosed left bracket
foo[] ==> 1:5: parse error: unexpected "]" in subquery selector, expected number or duration
foo[bar] ==> 1:5: parse error: unexpected character: 'b', expected ':'
foo[-5m] ==> 1:5: parse error: unexpected <op:-> in subquery selector, expected number or duration
foo[5m:1m:1m] ==> 1:10: parse error: unexpected colon ':'
foo[5m::] ==> 1:8: parse error: unexpected colon ':'
foo[5m:1m ==> 1:10: parse error: unclosed left bracket
foo[5m 1m] ==> 1:8: parse error: unexpected duration "1m" in subquery or range, expected ":" or "]"
foo[5m] [5m] ==> 1:9: parse error: ranges only allowed for vector selectors
foo[[5m]] ==> 1:5: parse error: unexpected left bracket '['
foo] ==> 1:4: parse error: unexpected right bracket ']'
foo[1hs] ==> 1:5: parse error: unknown unit "hs" in duration "1hs"
foo[5m30] ==> 1:5: parse error: bad number or duration syntax: "5m30"
foo[1.5h] ==> 1:5: parse error: unknown unit "." in duration "1.5h"
some_metric[5m] OFFSET ==> 1:23: parse error: unexpected end of input in offset, expected number or duration
foo offset +5m ==> 1:12: parse error: unexpected <op:+> in offset, expected number or duration
foo offset bar ==> 1:12: parse error: unexpected identifier "bar" in offset, expected number or duration
foo offset -bar ==> 1:13: parse error: unexpected identifier "bar" in offset, expected number or duration
(foo + bar)[5m] ==> 1:12: parse error: ranges only allowed for vector selectors
rate(food[1m])[1h] offset 1h ==> 1:15: parse error: ranges only allowed for vector selectors
rate(food[1m])[1h] @ 100 ==> 1:15: parse error: ranges only allowed for vector selectors
(foo)[5m] ==> 1:6: parse error: ranges only allowed for vector selectors
foo offset 5m [10m] ==> 1:15: parse error: no offset modifiers allowed before range
foo @ 100 [10m] ==> 1:11: parse error: no @ modifiers allowed before range
test[5d] OFFSET 10s [10m:5s] ==> 1:1: parse error: subquery is only allowed on instant vector, got matrix instead
(foo + bar{nm="val"})[5m:][10m:5s] ==> 1:1: parse error: subquery is only allowed on instant vector, got matrix instead
1[5m:] ==> 1:1: parse error: subquery is only allowed on instant vector, got scalar instead
"x"[5m:] ==> 1:1: parse error: subquery is only allowed on instant vector, got string instead
sum without(==)(some_metric) ==> 1:13: parse error: unexpected <op:==> in grouping opts, expected label
sum without(,)(some_metric) ==> 1:13: parse error: unexpected "," in grouping opts, expected label
sum without(foo,,)(some_metric) ==> 1:17: parse error: unexpected "," in grouping opts, expected label
sum without(foo bar)(some_metric) ==> 1:17: parse error: unexpected identifier "bar" in grouping opts, expected "," or ")"
sum without(without)(some_metric) ==> 1:13: parse error: unexpected <without> in grouping opts, expected label
sum by("")(some_metric) ==> 1:8: parse error: invalid label name for grouping: ""
sum some_metric by (test) ==> 1:5: parse error: unexpected identifier "some_metric"
sum (some_metric) without (test) by (test) ==> 1:34: parse error: unexpected <by>
sum without (test) (some_metric) by (test) ==> 1:34: parse error: unexpected <by>
sum without(x) by(y) (z) ==> 1:16: parse error: unexpected <by> in aggregation
sum by (a) by (b) (x) ==> 1:12: parse error: unexpected <by> in aggregation
sum by (a) ==> 1:11: parse error: unexpected end of input in aggregation
sum( ==> 1:5: parse error: unclosed left parenthesis
sum() ==> 1:1: parse error: no arguments for aggregate expression provided
sum(a, b) ==> 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2
sum(1) ==> 1:5: parse error: expected type instant vector in aggregation expression, got scalar
sum(foo[5m]) ==> 1:5: parse error: expected type instant vector in aggregation expression, got range vector
sum(a +) ==> 1:8: parse error: unexpected ")" in aggregation
sum(foo bar) ==> 1:9: parse error: unexpected identifier "bar" in aggregation
sum(rate(foo bar)) ==> 1:14: parse error: unexpected identifier "bar" in aggregation
sum(x{a=}) ==> 1:9: parse error: unexpected "}" in label matching, expected string
sum by x (y) ==> 1:8: parse error: unexpected identifier "x" in grouping opts, expected "("
topk(some_metric) ==> 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1
topk(some_metric,) ==> 1:17: parse error: trailing commas not allowed in function call args
topk(some_metric, other_metric) ==> 1:6: parse error: expected type scalar in aggregation parameter, got instant vector
topk(5, foo, bar) ==> 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 3
count_values(5, other_metric) ==> 1:14: parse error: expected type string in aggregation parameter, got scalar
quantile("a", foo) ==> 1:10: parse error: expected type scalar in aggregation parameter, got string
rate(some_metric[5m]) @ 1234 ==> 1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery
floor() ==> 1:1: parse error: expected 1 argument(s) in call to "floor", got 0
floor(some_metric, other_metric) ==> 1:1: parse error: expected 1 argument(s) in call to "floor", got 2
floor(some_metric, 1) ==> 1:1: parse error: expected 1 argument(s) in call to "floor", got 2
floor(1) ==> 1:7: parse error: expected type instant vector in call to function "floor", got scalar
hour(some_metric, some_metric, some_metric) ==> 1:1: parse error: expected at most 1 argument(s) in call to "hour", got 3
round(foo, 1, 2) ==> 1:1: parse error: expected at most 2 argument(s) in call to "round", got 3
time(some_metric) ==> 1:1: parse error: expected 0 argument(s) in call to "time", got 1
non_existent_function_far_bar() ==> 1:1: parse error: unknown function with name "non_existent_function_far_bar"
RATE(foo[5m]) ==> 1:1: parse error: unknown function with name "RATE"
rate(some_metric) ==> 1:6: parse error: expected type range vector in call to function "rate", got instant vector
rate(foo[5m],) ==> 1:13: parse error: trailing commas not allowed in function call args
rate(,foo[5m]) ==> 1:6: parse error: unexpected ","
label_join(foo) ==> 1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1
label_join(foo, "a", "b", 1) ==> 1:27: parse error: expected type string in call to function "label_join", got scalar
label_replace(foo, "a", "b", "c") ==> 1:1: parse error: expected 5 argument(s) in call to "label_replace", got 4
histogram_quantile(foo, bar) ==> 1:20: parse error: expected type scalar in call to function "histogram_quantile", got instant vector
clamp(foo, "a", 1) ==> 1:12: parse error: expected type scalar in call to function "clamp", got string
vector("a") ==> 1:8: parse error: expected type scalar in call to function "vector", got string
scalar(1) ==> 1:8: parse error: expected type instant vector in call to function "scalar", got scalar
absent_over_time(foo) ==> 1:18: parse error: expected type range vector in call to function "absent_over_time", got instant vector
quantile_over_time(foo[5m], 0.5) ==> 1:20: parse error: expected type scalar in call to function "quantile_over_time", got range vector
info(foo, bar) ==> 1:11: parse error: expected label selectors only, got vector selector instead
info(foo, 1) ==> 1:1: parse error: expected type instant vector in call to function "info", got scalar
info(foo, rate(bar[5m])) ==> 1:11: parse error: expected label selectors only
-= ==> 1:2: parse error: unexpected "="
++-++-+-+-< ==> 1:11: parse error: unexpected <op:<>
e-+=/(0) ==> 1:4: parse error: unexpected "="
a>b() ==> 1:3: parse error: unknown function with name "b"
rate(avg) ==> 1:6: parse error: expected type range vector in call to function "rate", got instant vector
foo @ start ==> 1:12: parse error: unexpected end of input in @, expected timestamp
foo @ start( ==> 1:13: parse error: unclosed left parenthesis
foo @ end) ==> 1:11: parse error: unexpected right parenthesis ')'
foo @ bar ==> 1:7: parse error: unexpected identifier "bar" in @, expected timestamp
foo @ ==> 1:6: parse error: unexpected end of input in @, expected timestamp
foo @ 1 @ 2 ==> 1:1: parse error: @ <timestamp> may not be set multiple times
foo[5m] @ 1 @ 2 ==> 1:1: parse error: @ <timestamp> may not be set multiple times
foo[5m:] @ 1 @ 2 ==> 1:1: parse error: @ <timestamp> may not be set multiple times
foo @ +Inf ==> 1:1: parse error: timestamp out of bounds for @ modifier: +Inf
foo @ NaN ==> 1:1: parse error: timestamp out of bounds for @ modifier: NaN
foo @ -Inf ==> 1:1: parse error: timestamp out of bounds for @ modifier: -Inf
foo @ 9223372036854775807 ==> 1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000
start() ==> 1:6: parse error: unexpected "("
foo offset 1m @ start() offset 2m ==> 1:1: parse error: offset may not be set multiple times
1 @ 10 ==> 1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery
"abc ==> 1:1: parse error: unterminated quoted string
`abc ==> 1:1: parse error: unterminated raw string
"\\q" ==> 1:1: parse error: unknown escape sequence U+0071 'q'
"\\xzz" ==> 1:1: parse error: illegal character U+007A 'z' in escape sequence
"\\u12" ==> 1:1: parse error: illegal character U+0022 '"' in escape sequence
"\\uD800" ==> 1:1: parse error: escape sequence is an invalid Unicode code point
'\\"' ==> 1:1: parse error: unknown escape sequence U+0022 '"'
foo =~ bar ==> 1:5: parse error: unexpected character after '=': '~'
foo ! bar ==> 1:5: parse error: unexpected character after '!': ' '
foo = bar ==> 1:5: parse error: unexpected "="
foo bar ==> 1:5: parse error: unexpected identifier "bar"
1 2 ==> 1:3: parse error: unexpected number "2"
foo $ bar ==> 1:5: parse error: unexpected character: '$'
0x ==> 1:1: parse error: error parsing number: strconv.ParseFloat: parsing "0x": invalid syntax
1e ==> 1:1: parse error: bad number or duration syntax: "1e"
1e+ ==> 1:1: parse error: bad number or duration syntax: "1e+"
1..2 ==> 1:1: parse error: bad number or duration syntax: "1.."
1.2.3 ==> 1:1: parse error: bad number or duration syntax: "1.2."
1_ ==> 1:1: parse error: bad number or duration syntax: "1_"
1__0 ==> 1:1: parse error: bad number or duration syntax: "1__"
0x1.5 ==> 1:1: parse error: bad number or duration syntax: "0x1."
1ee3 ==> 1:1: parse error: bad number or duration syntax: "1ee"
5mx ==> 1:1: parse error: bad number or duration syntax: "5mx"
1e400 ==> 1:1: parse error: error parsing number: strconv.ParseFloat: parsing "1e400": value out of range
10y20y ==> 1:1: parse error: bad number or duration syntax: "10y20"
5m3h ==> 1:1: parse error: not a valid duration string: "5m3h"
a + on(x) bool b ==> 1:11: parse error: unexpected <bool>
a group_left b ==> 1:3: parse error: unexpected <group_left>
bool ==> 1:1: parse error: unexpected <bool>
on(a) ==> 1:1: parse error: unexpected <on>
ignoring ==> 1:1: parse error: unexpected <ignoring>
group_left ==> 1:1: parse error: unexpected <group_left>
atan2 ==> 1:1: parse error: unexpected <op:atan2>
a atan2 ==> 1:8: parse error: unexpected end of input
(foo ==> 1:5: parse error: unclosed left parenthesis
((foo) ==> 1:7: parse error: unclosed left parenthesis
foo) ==> 1:5: parse error: unexpected right parenthesis ')'
) ==> 1:2: parse error: unexpected right parenthesis ')'
sum(foo)) by (x) ==> 1:10: parse error: unexpected right parenthesis ')'
foo[5m] + bar{ ==> 1:15: parse error: unexpected end of input inside braces
count_values("", foo) > "x" ==> 1:25: parse error: binary expression must contain only scalar and instant vector types
foo and "x" ==> 1:9: parse error: binary expression must contain only scalar and instant vector types
"x" + 1 ==> 1:1: parse error: binary expression must contain only scalar and instant vector types
foo[5m] + 1 ==> 1:1: parse error: binary expression must contain only scalar and instant vector types
1 + foo[5m] ==> 1:5: parse error: binary expression must contain only scalar and instant vector types
foo[5m] and bar ==> 1:1: parse error: binary expression must contain only scalar and instant vector types
-"x" ==> 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"
            """;

    static Stream<Arguments> validQueries() {
        return table(VALID);
    }

    static Stream<Arguments> invalidQueries() {
        return table(INVALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validQueries")
    void parsesValidQuery(String query, String expectedTree) {
        assertThat(Sexpr.of(PromqlParser.parse(query))).isEqualTo(expectedTree);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validQueries")
    void printedValidQueryParsesBackToTheSamePrintedForm(String query, String expectedTree) {
        // The printer sorts label matchers, so compare printed forms (exact tree equality of canonical trees is
        // covered by PromqlPrinterTest's generated trees).
        String printed = PromqlPrinter.toString(PromqlParser.parse(query));
        assertThat(PromqlPrinter.toString(PromqlParser.parse(printed))).isEqualTo(printed);
        assertThat(PromqlPrinter.toString(PromqlParser.parse(PromqlPrinter.format(PromqlParser.parse(query)))))
                .isEqualTo(printed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidQueries")
    void rejectsInvalidQuery(String query, String expectedMessage) {
        assertThatThrownBy(() -> PromqlParser.parse(query))
                .isInstanceOf(ParseException.class)
                .hasMessage(expectedMessage);
    }

    private static Stream<Arguments> table(String text) {
        List<Arguments> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            int separator = line.indexOf(" ==> ");
            if (separator < 0) {
                continue;
            }
            rows.add(Arguments.of(line.substring(0, separator), line.substring(separator + 5)));
        }
        return rows.stream();
    }
}
