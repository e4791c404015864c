#!/usr/bin/env bash
# Builds bench with its upstream modules and runs JMH.
#   bench/run-jmh.sh <benchmark regex> [jmh args...]
#   e.g. bench/run-jmh.sh 'serde.*Encode' -f 1 -wi 2 -i 3 -prof gc
# Build output goes to <module>/$KPROM_TARGET (default target-jmh) so it does not clobber other builds.
# Set KPROM_ONLINE=1 to let Maven download missing dependencies (default: offline when ~/.m2 has them).
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: $0 <benchmark regex> [jmh args...]" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
target="${KPROM_TARGET:-target-jmh}"
if command -v mvn >/dev/null 2>&1; then mvn_cmd=(mvn); else mvn_cmd=(./mvnw); fi
offline=()
if [[ "${KPROM_ONLINE:-0}" != 1 && -d "$HOME/.m2/repository/org/openjdk/jmh/jmh-core" ]]; then offline=(-o); fi

"${mvn_cmd[@]}" "${offline[@]}" -q -B -pl bench -am -Dkprom.target="$target" -DskipTests package >&2

classpath_file="bench/$target/jmh-classpath.txt"
if [[ ! -s "$classpath_file" ]]; then
  echo "$0: build did not write $classpath_file" >&2
  exit 1
fi
classpath="bench/$target/classes:$(cat "$classpath_file")"
exec java -cp "$classpath" org.openjdk.jmh.Main "$@"
