#!/usr/bin/env bash
# Side-by-side load benchmark: kprom standalone and a real Prometheus (Debian package) scrape the same
# synthetic fleet (bench SyntheticFleet: N targets x M series, changing values, classic histograms),
# one after the other on this machine, and report for each:
#   samples/s ingested, CPU seconds per million samples (whole process), resident memory,
#   disk bytes per sample (TSDB; for kprom also the Kafka log), query_range latency of a dashboard query.
# Usage: bench/load-compare.sh   (env: TARGETS=50 SERIES=1000 INTERVAL=5s WARMUP=60 MEASURE=120)
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=${TARGETS:-50}; SERIES=${SERIES:-1000}; INTERVAL=${INTERVAL:-5s}
WARMUP=${WARMUP:-60}; MEASURE=${MEASURE:-120}; PORT=${PORT:-9500}
T=${KPROM_TARGET:-target-load}
work=$(mktemp -d /tmp/kprom-load.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

mvn -o -q -B -pl bench,standalone -am -Dkprom.target="$T" -DskipTests package >&2
java -cp "bench/$T/classes:$(cat "bench/$T/jmh-classpath.txt")" io.kprom.bench.load.SyntheticFleet \
  "$TARGETS" "$SERIES" "0.0.0.0:$PORT" > "$work/fleet.log" 2>&1 &
pids+=($!)
sleep 3
targets=$(python3 -c "print(', '.join(\"'127.0.%d.%d:$PORT'\" % (i // 250, i % 250 + 1) for i in range($TARGETS)))")
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

cpu_seconds() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {print $2 / 1024}' "/proc/$1/status"; }
metric() { curl -s "http://127.0.0.1:$2/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {printf "%.0f", s}'; }
range_query_ms() {
  local now; now=$(date +%s)
  local q='sum by (handler) (rate(fleet_requests_total[1m]))'
  local start=$((now - MEASURE)) t0 t1
  t0=$(date +%s%N)
  for _ in 1 2 3 4 5; do
    curl -s -G "http://127.0.0.1:$1/api/v1/query_range" --data-urlencode "query=$q" \
      --data-urlencode "start=$start" --data-urlencode "end=$now" --data-urlencode "step=15" > /dev/null
  done
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 5000000 ))
}

measure() { # name pid port samples-metric datadir
  local name=$1 pid=$2 port=$3 m=$4 dir=$5
  sleep "$WARMUP"
  local c0 s0 c1 s1
  c0=$(cpu_seconds "$pid"); s0=$(metric "$m" "$port")
  sleep "$MEASURE"
  c1=$(cpu_seconds "$pid"); s1=$(metric "$m" "$port")
  local samples=$((s1 - s0)) disk
  disk=$(du -sb "$dir" | cut -f1)
  python3 - "$name" "$c0" "$c1" "$samples" "$MEASURE" "$(rss_mb "$pid")" "$disk" "$(metric "$m" "$port")" "$(range_query_ms "$port")" <<'PY'
import sys
name, c0, c1, samples, secs, rss, disk, total, qms = sys.argv[1:]
c0, c1, samples, secs, rss, disk, total = float(c0), float(c1), float(samples), float(secs), float(rss), float(disk), float(total)
print(f"{name}: {samples/secs:,.0f} samples/s; {(c1-c0)/(samples/1e6):.2f} CPU-s per million samples; "
      f"RSS {rss:,.0f} MiB; data dir {disk/total:.2f} bytes/sample over {total:,.0f} samples; query_range {qms} ms")
PY
}

echo "fleet: $TARGETS targets x ~$SERIES series every $INTERVAL; warm-up ${WARMUP}s, measured ${MEASURE}s"
java -Xmx4g -cp "standalone/$T/classes:$(cat "standalone/$T/runtime-classpath.txt")" io.kprom.standalone.KpromCommand \
  standalone --config.file="$work/prometheus.yml" --storage.path="$work/kprom" --web.listen-address=127.0.0.1:19090 \
  > "$work/kprom.log" 2>&1 &
kpid=$!; pids+=($kpid)
measure kprom "$kpid" 19090 prometheus_tsdb_head_samples_appended_total "$work/kprom"
echo "  (kprom data dir includes the Kafka log: $(du -sh "$work/kprom/kafka" | cut -f1); TSDB: $(du -sh "$work/kprom/tsdb" | cut -f1))"
kill "$kpid"; wait "$kpid" 2>/dev/null || true

if command -v prometheus >/dev/null 2>&1; then
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" --web.listen-address=127.0.0.1:19091 \
    > "$work/prometheus.log" 2>&1 &
  ppid=$!; pids+=($ppid)
  measure prometheus "$ppid" 19091 prometheus_tsdb_head_samples_appended_total "$work/prom"
else
  echo "prometheus is not installed (Debian package prometheus): no side-by-side figures"
fi
echo "logs and data: $work"
