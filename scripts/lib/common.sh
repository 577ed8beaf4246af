# Shared helpers for the scripts in scripts/. Source it; do not run it.
# shellcheck shell=bash

CITYPULSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CITYPULSE_LOCAL="${CITYPULSE_ROOT}/.local"
JOBS_JAR="${CITYPULSE_ROOT}/jobs/target/citypulse-jobs.jar"
JOBS_CLASSPATH_FILE="${CITYPULSE_ROOT}/jobs/target/classpath.txt"

# Local defaults (DESIGN.md section 4); the environment overrides them.
: "${KAFKA_BOOTSTRAP_DEFAULT:=127.0.0.1:19092}"
: "${CLICKHOUSE_URL_DEFAULT:=http://127.0.0.1:18123}"

die() {
  echo "error: $*" >&2
  exit 1
}

log() {
  echo "[$(date +%H:%M:%S)] $*" >&2
}

# Builds the shaded jobs jar (and the classpath file) unless it is newer than every source.
ensure_built() {
  # Scripts that start several jobs at once (scripts/chaos, scripts/demo) call this concurrently:
  # one builds, the others wait for it and then find the jar fresh.
  mkdir -p "$CITYPULSE_LOCAL"
  local lock_fd
  exec {lock_fd}>"${CITYPULSE_LOCAL}/build.lock"
  flock "$lock_fd"
  ensure_built_locked
  local rc=$?
  flock -u "$lock_fd"
  exec {lock_fd}>&-
  return "$rc"
}

ensure_built_locked() {
  local stale=0
  if [[ ! -f "$JOBS_JAR" || ! -f "$JOBS_CLASSPATH_FILE" ]]; then
    stale=1
  elif [[ -n "$(find "$CITYPULSE_ROOT/pom.xml" "$CITYPULSE_ROOT/avro" "$CITYPULSE_ROOT/jobs/pom.xml" \
      "$CITYPULSE_ROOT/jobs/src/main" -newer "$JOBS_JAR" -type f -not -path '*/target/*' -print -quit)" ]]; then
    stale=1
  fi
  if [[ "$stale" == 1 ]]; then
    log "building the jobs jar (mvn package -DskipTests) ..."
    (cd "$CITYPULSE_ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true -pl jobs -am package) >&2 \
      || die "build failed; run 'mvn -pl jobs -am package' to see why"
  fi
}

# Runs a Java main class from the jobs jar with Flink's (provided) jars on the classpath,
# as a local embedded Flink would have them.
run_java() {
  local main_class="$1"
  shift
  ensure_built
  local cp="${JOBS_JAR}:$(cat "$JOBS_CLASSPATH_FILE")"
  exec java ${CITYPULSE_JAVA_OPTS:-} \
    -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.citypulse \
    -Dlog4j.configurationFile="${CITYPULSE_LOG4J_CONF:-${CITYPULSE_ROOT}/scripts/lib/log4j2-cli.properties}" \
    --add-opens=java.base/java.util=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED \
    -cp "$cp" "$main_class" "$@"
}
