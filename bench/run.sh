#!/usr/bin/env bash
# Runs one benchmark program (a main class under src/test/java/dev/rotor/bench) and prints its figures.
# Usage: bench/run.sh ValidateRotateBenchmark [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: bench/run.sh BENCHMARK_CLASS [args...]}; shift
mvn -B -q -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "dev.rotor.bench.$name" "$@"
