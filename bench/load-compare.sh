#!/usr/bin/env bash
# Side-by-side load benchmark. One synthetic fleet (bench SyntheticFleet: N targets x M series, values changing
# every scrape, classic histograms, a per-target marker gauge) is scraped, one system after the other, by
#   standalone  `kprom standalone` (embedded broker and every component in one JVM)
#   split       the broker (EmbeddedBrokerMain) and `kprom scraper|processor|sink|evaluator` as five JVMs
#   prometheus  Debian's Prometheus (if installed)
# and for each the script reports, over a measured window after a warm-up:
#   samples/s ingested (the sink's / Prometheus's prometheus_tsdb_head_samples_appended_total) and scraped;
#   CPU seconds per million ingested samples (utime+stime from /proc/<pid>/stat) per process and in total
#   (and the total per million scraped samples, the fairer figure while kprom lags behind its scraper);
#   resident memory per process;
#   Kafka bytes per sample for metrics.raw and metrics.samples (growth of the topics' *.log segment files over
#   the window / samples scraped resp. processed in it) and TSDB disk growth per ingested sample;
#   scrape-to-queryable latency p50/p99 (FreshnessProbe, during the window);
#   query_range p50/p99 of four dashboard queries (QueryRangeProbe, after the window, ingest still running);
#   the machine's load average at the start and end of the window, and Kafka Streams fencing events.
# Usage: bench/load-compare.sh
#   env: TARGETS=200 SERIES=1024 INTERVAL=5s WARMUP=240 MEASURE=90 RUNS=20 MARKERS=10 POLL_MS=25
#        SYSTEMS="standalone split prometheus" PORT=9500 KPROM_TARGET=target-load BUILD=1 (0: use the last build)
#        KPROM_HEAP=4g (-Xmx of each kprom JVM)
#        QUERY_RANGE=300 QUERY_STEP=15 QUERY_BUDGET=30 (seconds one query may spend on its runs)
# The last lines are a Markdown table of all figures; everything (logs, data, results.tsv) stays in the work dir.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=${TARGETS:-200}; SERIES=${SERIES:-1024}; INTERVAL=${INTERVAL:-5s}
WARMUP=${WARMUP:-240}; MEASURE=${MEASURE:-90}; RUNS=${RUNS:-20}; MARKERS=${MARKERS:-10}; POLL_MS=${POLL_MS:-25}
SYSTEMS=${SYSTEMS:-"standalone split prometheus"}; PORT=${PORT:-9500}
T=${KPROM_TARGET:-target-load}
work=$(mktemp -d /tmp/kprom-load.XXXXXX)
results="$work/results.tsv"
# Dashboard panels; at 200 targets they read ~4 000, ~8 800, ~4 000 and ~13 000 series.
QUERIES=(
  'sum by (handler) (rate(fleet_requests_total{handler=~"/h[0-9]"}[1m]))'
  'histogram_quantile(0.99, sum by (le, handler) (rate(fleet_latency_seconds_bucket{handler=~"/h[0-3]"}[1m])))'
  'topk(10, sum by (instance) (rate(fleet_requests_total{handler=~"/h[0-9]"}[1m])))'
  'sum by (job) (fleet_queue_depth)'
)
QUERY_RANGE=${QUERY_RANGE:-300}; QUERY_STEP=${QUERY_STEP:-15}; QUERY_BUDGET=${QUERY_BUDGET:-30}

all_pids=()
cleanup() {
  local p
  for p in "${all_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${all_pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

if [[ "${BUILD:-1}" == 1 ]]; then
  mvn -o -q -B -pl bench,standalone -am -Dkprom.target="$T" -DskipTests package >&2
fi
bench_cp="bench/$T/classes:$(cat "bench/$T/jmh-classpath.txt")"
kprom_cp="standalone/$T/classes:$(cat "standalone/$T/runtime-classpath.txt")"
kprom=(java "-Xmx${KPROM_HEAP:-4g}" -cp "$kprom_cp" io.kprom.standalone.KpromCommand)

tick=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$tick" '{print ($14 + $15) / t}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# Sum of every series of one metric (labelled or not) on a /metrics page.
metric() {
  curl -s --max-time 10 "http://127.0.0.1:$2/metrics" \
    | awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {printf "%.0f", s}'
}
# Bytes in a topic's log segments (not its preallocated index files).
topic_bytes() {
  [[ -d "$1" ]] || { echo 0; return; }
  find "$1" -path "*/$2-[0-9]*/*.log" -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}'
}
dir_bytes() { du -sb "$1" 2>/dev/null | cut -f1 || echo 0; }
wait_ready() { # port seconds
  local deadline=$((SECONDS + $2))
  until curl -sf --max-time 2 "http://127.0.0.1:$1/-/ready" > /dev/null; do
    if ((SECONDS > deadline)); then echo "not ready on :$1 after $2 s" >&2; return 1; fi
    sleep 1
  done
}
calc() { python3 -c "print($1)"; }
per() { python3 -c "n = $2; print('n/a' if n <= 0 else round(($1) / n, 2))"; } # numerator, count
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$results"; }

java -Xmx1g -cp "$bench_cp" io.kprom.bench.load.SyntheticFleet "$TARGETS" "$SERIES" "0.0.0.0:$PORT" > "$work/fleet.log" 2>&1 &
fleet_pid=$!; all_pids+=("$fleet_pid")
for _ in $(seq 60); do curl -sf -o /dev/null -H "Host: 127.0.0.1:$PORT" "http://127.0.0.1:$PORT/fleet/metrics" && break; sleep 1; done
targets=$(python3 -c "print(', '.join(\"'127.0.%d.%d:$PORT'\" % (i // 250, i % 250 + 1) for i in range($TARGETS)))")
markers=$(python3 -c "print('|'.join('127.0.%d.%d:$PORT' % (i // 250, i % 250 + 1) for i in range(min($MARKERS, $TARGETS))))")
cat > "$work/prometheus.yml" <<YML
global:
  scrape_interval: $INTERVAL
  scrape_timeout: $INTERVAL
scrape_configs:
  - job_name: fleet
    metrics_path: /fleet/metrics
    static_configs:
      - targets: [$targets]
YML
series_per_target=$(curl -s -H "Host: 127.0.0.1:$PORT" "http://127.0.0.1:$PORT/fleet/metrics" | grep -vc '^#')
echo "fleet: $TARGETS targets x $series_per_target series every $INTERVAL (offered $(python3 -c \
  "import re; s=re.match(r'(\d+)', '$INTERVAL').group(1); print(f'{$TARGETS * $series_per_target / int(s):,.0f}')") samples/s" \
  "plus per-target synthetic series); warm-up ${WARMUP}s, measured ${MEASURE}s; work dir $work"
echo "uptime at start: $(uptime)"
record all offered_series "$((TARGETS * series_per_target))"

# Per phase: name -> pid of every process that is part of the system, and where to read its counters.
declare -A procs
sink_port=; scraper_port=; processor_port=; kafka_dir=; tsdb_dir=

start_standalone() {
  "${kprom[@]}" standalone --config.file="$work/prometheus.yml" --storage.path="$work/standalone" \
    --web.listen-address=127.0.0.1:19090 > "$work/standalone.log" 2>&1 &
  procs=([kprom]=$!); all_pids+=("$!")
  sink_port=19090; scraper_port=19090; processor_port=19090; kafka_dir="$work/standalone/kafka"; tsdb_dir="$work/standalone/tsdb"
  wait_ready 19090 300
}

start_split() {
  local d="$work/split"
  mkdir -p "$d"
  java -Xmx1g -cp "bench/$T/classes:$kprom_cp" io.kprom.bench.load.EmbeddedBrokerMain "$d/kafka" 19099 \
    > "$work/split-broker.log" 2>&1 &
  procs=([broker]=$!); all_pids+=("$!")
  local deadline=$((SECONDS + 120))
  until grep -q '^bootstrap:' "$work/split-broker.log"; do
    ((SECONDS < deadline)) && kill -0 "${procs[broker]}" || { echo "broker did not start" >&2; return 1; }
    sleep 1
  done
  local c port=19190
  for c in sink processor evaluator scraper; do
    "${kprom[@]}" "$c" --kafka.bootstrap-servers=127.0.0.1:19099 --config.file="$work/prometheus.yml" \
      --storage.path="$d/$c" --web.listen-address="127.0.0.1:$port" > "$work/split-$c.log" 2>&1 &
    procs[$c]=$!; all_pids+=("$!")
    wait_ready "$port" 300 || return 1
    port=$((port + 1))
  done
  sink_port=19190; scraper_port=19193; processor_port=19191; kafka_dir="$d/kafka"; tsdb_dir="$d/sink"
}

start_prometheus() {
  command -v prometheus > /dev/null || { echo "prometheus is not installed (Debian package prometheus)" >&2; return 1; }
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
    --web.listen-address=127.0.0.1:19091 > "$work/prometheus.log" 2>&1 &
  procs=([prometheus]=$!); all_pids+=("$!")
  sink_port=19091; scraper_port=; processor_port=; kafka_dir=; tsdb_dir="$work/prometheus"
  wait_ready 19091 120
}

stop_system() {
  local name
  for name in scraper evaluator processor sink kprom prometheus broker; do
    [[ -n "${procs[$name]:-}" ]] || continue
    kill "${procs[$name]}" 2>/dev/null || true
    wait "${procs[$name]}" 2>/dev/null || true
  done
}

run_phase() {
  local sys=$1 name
  echo "== $sys: starting ($(date -u +%H:%M:%S), load $(load1))"
  "start_$sys" || { echo "$sys: did not start, skipped (logs in $work)"; stop_system; return 0; }
  echo "$sys: ready ($(date -u +%H:%M:%S)), warming up ${WARMUP}s"
  sleep "$WARMUP"
  declare -A cpu0 cpu1
  local t0 t1 s0 s1 sc0 sc1 p0 p1 raw0 raw1 ser0 ser1 disk0 disk1 fleet0 fleet1
  record "$sys" load1_start "$(load1)"
  t0=$(date +%s.%N); for name in "${!procs[@]}"; do cpu0[$name]=$(cpu_seconds "${procs[$name]}"); done
  fleet0=$(cpu_seconds "$fleet_pid")
  s0=$(metric prometheus_tsdb_head_samples_appended_total "$sink_port")
  sc0=$s0; [[ -n "$scraper_port" ]] && sc0=$(metric kprom_scraper_samples_scraped_total "$scraper_port")
  p0=$s0; [[ -n "$processor_port" ]] && p0=$(metric kprom_processor_samples_out_total "$processor_port")
  raw0=$(topic_bytes "$kafka_dir" metrics.raw); ser0=$(topic_bytes "$kafka_dir" metrics.samples)
  disk0=$(dir_bytes "$tsdb_dir")
  java -cp "$bench_cp" io.kprom.bench.load.FreshnessProbe "http://127.0.0.1:$sink_port" \
    "fleet_marker_timestamp_seconds{instance=~\"$markers\"}" "$MEASURE" "$POLL_MS" > "$work/$sys-freshness.txt" 2>&1 &
  local probe=$!; all_pids+=("$probe")
  sleep "$MEASURE"
  t1=$(date +%s.%N); for name in "${!procs[@]}"; do cpu1[$name]=$(cpu_seconds "${procs[$name]}"); done
  fleet1=$(cpu_seconds "$fleet_pid")
  s1=$(metric prometheus_tsdb_head_samples_appended_total "$sink_port")
  sc1=$s1; [[ -n "$scraper_port" ]] && sc1=$(metric kprom_scraper_samples_scraped_total "$scraper_port")
  p1=$s1; [[ -n "$processor_port" ]] && p1=$(metric kprom_processor_samples_out_total "$processor_port")
  raw1=$(topic_bytes "$kafka_dir" metrics.raw); ser1=$(topic_bytes "$kafka_dir" metrics.samples)
  disk1=$(dir_bytes "$tsdb_dir")
  record "$sys" load1_end "$(load1)"
  wait "$probe" || true

  local seconds samples scraped processed total=0
  seconds=$(calc "$t1 - $t0")
  samples=$((s1 - s0)); scraped=$((sc1 - sc0)); processed=$((p1 - p0))
  record "$sys" window_seconds "$(calc "round($seconds, 1)")"
  record "$sys" samples_per_second "$(calc "round($samples / $seconds)")"
  record "$sys" scraped_per_second "$(calc "round($scraped / $seconds)")"
  [[ -n "$processor_port" ]] && record "$sys" processed_per_second "$(calc "round($processed / $seconds)")"
  for name in "${!procs[@]}"; do
    record "$sys" "cpu_per_million.$name" "$(per "(${cpu1[$name]} - ${cpu0[$name]}) * 1e6" "$samples")"
    record "$sys" "cpu_per_million_scraped.$name" "$(per "(${cpu1[$name]} - ${cpu0[$name]}) * 1e6" "$scraped")"
    record "$sys" "cores.$name" "$(calc "round((${cpu1[$name]} - ${cpu0[$name]}) / $seconds, 2)")"
    record "$sys" "rss_mib.$name" "$(rss_mib "${procs[$name]}")"
    total=$(calc "$total + ${cpu1[$name]} - ${cpu0[$name]}")
  done
  record "$sys" cpu_per_million.total "$(per "$total * 1e6" "$samples")"
  # Per scraped sample: the fairer figure while a lagging pipeline ingests less than it scrapes.
  record "$sys" cpu_per_million_scraped.total "$(per "$total * 1e6" "$scraped")"
  record "$sys" cores.total "$(calc "round($total / $seconds, 2)")"
  record "$sys" cores.fleet "$(calc "round(($fleet1 - $fleet0) / $seconds, 2)")"
  if [[ -n "$kafka_dir" ]]; then
    # Each topic's growth over the samples written to it in the window: scraped ones to metrics.raw,
    # processed ones to metrics.samples (they differ while the processor lags).
    record "$sys" kafka_bytes_per_sample.metrics.raw "$(per "$raw1 - $raw0" "$scraped")"
    record "$sys" kafka_bytes_per_sample.metrics.samples "$(per "$ser1 - $ser0" "$processed")"
    record "$sys" sink_lag_records_end "$(metric kprom_sink_consumer_lag_records "$sink_port")"
  fi
  record "$sys" tsdb_disk_growth_bytes_per_sample "$(per "$disk1 - $disk0" "$samples")"
  local line
  line=$(grep '^freshness' "$work/$sys-freshness.txt" || echo "freshness n=0")
  record "$sys" freshness "${line#freshness }"
  echo "$sys: queries ($(date -u +%H:%M:%S))"
  java -cp "$bench_cp" io.kprom.bench.load.QueryRangeProbe "http://127.0.0.1:$sink_port" "$RUNS" "$QUERY_RANGE" \
    "$QUERY_STEP" "$QUERY_BUDGET" "${QUERIES[@]}" > "$work/$sys-queries.txt" 2> "$work/$sys-queries.err" || true
  while read -r _ index rest; do
    record "$sys" "query_range.${index#index=}" "$rest"
  done < <(grep '^query_range' "$work/$sys-queries.txt")
  record "$sys" load1_after_queries "$(load1)"
  # Kafka Streams threads that missed a rebalance (the processor stalls while it recovers).
  [[ -n "$processor_port" ]] && record "$sys" processor_fenced_events "$(cat "$work/$sys"*.log | grep -c 'being fenced' || true)"
  grep -P "^$sys\t" "$results" | cut -f2- | sed 's/^/  /'
  stop_system
}

for sys in $SYSTEMS; do run_phase "$sys"; done

python3 - "$results" "$SYSTEMS" "${QUERIES[@]}" <<'PY'
import sys, re
path, systems, queries = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
values = {}
for line in open(path):
    system, key, value = line.rstrip("\n").split("\t")
    values.setdefault(system, {})[key] = value
present = [s for s in systems if s in values]
def latency(text):  # "n=20 p50_ms=1.0 p99_ms=2.0 ..." -> "1.0 / 2.0 (n=20)"
    f = dict(kv.split("=", 1) for kv in text.split())
    return f"{f.get('p50_ms', '-')} / {f.get('p99_ms', '-')} (n={f.get('n', 0)})"
keys = ["samples_per_second", "scraped_per_second", "processed_per_second", "cpu_per_million.total"]
keys += sorted({k for v in values.values() for k in v if k.startswith("cpu_per_million.") and k not in keys})
keys += ["cpu_per_million_scraped.total"]
keys += sorted({k for v in values.values() for k in v if k.startswith("cpu_per_million_scraped.") and k not in keys})
keys += ["cores.total"] + sorted({k for v in values.values() for k in v if k.startswith("cores.") and k != "cores.total"})
keys += sorted({k for v in values.values() for k in v if k.startswith("rss_mib.")})
keys += ["kafka_bytes_per_sample.metrics.raw", "kafka_bytes_per_sample.metrics.samples", "tsdb_disk_growth_bytes_per_sample",
         "sink_lag_records_end", "processor_fenced_events", "freshness"]
keys += [f"query_range.{i + 1}" for i in range(len(queries))]
keys += ["window_seconds", "load1_start", "load1_end", "load1_after_queries"]
print("| figure | " + " | ".join(present) + " |")
print("| --- |" + " --- |" * len(present))
for key in keys:
    label = key
    if key == "freshness":
        label = "scrape-to-queryable ms p50 / p99"
    elif key.startswith("query_range."):
        label = "query_range ms p50 / p99: `" + queries[int(key.split(".")[1]) - 1] + "`"
    cells = []
    for s in present:
        v = values[s].get(key, "")
        cells.append(latency(v) if v and (key == "freshness" or key.startswith("query_range.")) else v)
    if any(cells):
        print(f"| {label} | " + " | ".join(cells) + " |")
PY
echo "uptime at end: $(uptime)"
echo "logs, data and results.tsv: $work"
