# Helpers for the local services of scripts/stack (Kafka broker, ClickHouse adapter), also
# usable by other scripts: source common.sh first, then this file. Do not run it.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the paths and SPLIT_* are used by the scripts that source this file

STACK_RUN_DIR="${CITYPULSE_LOCAL}/run"
STACK_LOG_DIR="${CITYPULSE_LOCAL}/logs"

KAFKA_HOME_DIR="${CITYPULSE_LOCAL}/kafka"
KAFKA_LIB_DIR="${KAFKA_HOME_DIR}/lib"
KAFKA_CLASSES_DIR="${KAFKA_HOME_DIR}/classes"
KAFKA_CDS_DIR="${KAFKA_HOME_DIR}/cds"
KAFKA_CDS_FILE="${KAFKA_CDS_DIR}/broker.jsa"
KAFKA_CDS_NEW="${KAFKA_CDS_DIR}/broker.jsa.new"
KAFKA_DATA_DIR="${KAFKA_HOME_DIR}/data"
KAFKA_CONFIG_FILE="${KAFKA_HOME_DIR}/server.properties"
KAFKA_SCRIPTS_DIR="${CITYPULSE_ROOT}/scripts/kafka"
KAFKA_TOOLS_LOG4J="${KAFKA_SCRIPTS_DIR}/tools-log4j2.properties"

CLICKHOUSE_HOME_DIR="${CITYPULSE_LOCAL}/clickhouse"
CLICKHOUSE_DATA_DIR="${CLICKHOUSE_HOME_DIR}/data"
CLICKHOUSE_SERVER_DIR="${CITYPULSE_ROOT}/clickhouse-http/server"
CLICKHOUSE_CLI="${CITYPULSE_ROOT}/scripts/lib/clickhouse.mjs"

# Copies the Kafka broker and tools jars from Maven Central into .local/kafka/lib, once (again
# only when scripts/kafka/pom.xml changes). Goes through a temporary folder, so an interrupted
# download never leaves a half-filled lib folder behind.
ensure_kafka_lib() {
  local pom="${KAFKA_SCRIPTS_DIR}/pom.xml" marker="${KAFKA_LIB_DIR}/.complete"
  if [[ -f "$marker" && ! "$pom" -nt "$marker" ]]; then
    return 0
  fi
  mkdir -p "$KAFKA_HOME_DIR" "$STACK_LOG_DIR"
  local tmp="${KAFKA_HOME_DIR}/lib.download" out="${STACK_LOG_DIR}/kafka-download.log"
  rm -rf "$tmp"
  log "kafka: fetching the broker jars from Maven Central into ${KAFKA_LIB_DIR#"$CITYPULSE_ROOT"/} ..."
  if ! mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$tmp" >"$out" 2>&1; then
    tail -n 20 "$out" >&2
    die "could not fetch the Kafka jars (full output: $out)"
  fi
  touch "${tmp}/.complete"
  # The compiled helpers and the class-data archive belong to the old jars.
  rm -rf "$KAFKA_LIB_DIR" "$KAFKA_CLASSES_DIR" "$KAFKA_CDS_DIR"
  mv "$tmp" "$KAFKA_LIB_DIR"
}

# Compiles scripts/kafka/*.java (small admin helpers) against the broker jars when needed.
ensure_kafka_helpers() {
  ensure_kafka_lib
  local src="${KAFKA_SCRIPTS_DIR}/EnsureTopics.java" cls="${KAFKA_CLASSES_DIR}/EnsureTopics.class"
  if [[ -f "$cls" && ! "$src" -nt "$cls" && ! "${KAFKA_LIB_DIR}/.complete" -nt "$cls" ]]; then
    return 0
  fi
  command -v javac >/dev/null || die "javac not found: a JDK 17 is needed (not only a JRE)"
  mkdir -p "$KAFKA_CLASSES_DIR"
  javac -nowarn -d "$KAFKA_CLASSES_DIR" -cp "${KAFKA_LIB_DIR}/*" "${KAFKA_SCRIPTS_DIR}"/*.java \
    || die "could not compile ${KAFKA_SCRIPTS_DIR}/*.java"
}

# Runs a Kafka command-line class with the broker's jars, e.g.
#   kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:19092 --list
#   kafka_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server ... --topic tickets
#   kafka_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server ... --topic t
# Tool logging: warnings only, on stderr.
kafka_tool() {
  ensure_kafka_helpers
  # shellcheck disable=SC2086 # KAFKA_TOOL_JAVA_OPTS holds several JVM options
  java ${KAFKA_TOOL_JAVA_OPTS:--Xmx256m -XX:TieredStopAtLevel=1} \
    -Dlog4j2.configurationFile="$KAFKA_TOOLS_LOG4J" \
    -cp "${KAFKA_LIB_DIR}/*:${KAFKA_CLASSES_DIR}" "$@"
}

# True when something accepts TCP connections on HOST PORT (bash's /dev/tcp, 3 s at most).
port_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# The command line of a live, non-zombie process, arguments joined by spaces; empty otherwise.
process_cmdline() {
  local pid="$1" stat state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if [[ -r "/proc/${pid}/stat" ]]; then
    stat="$(<"/proc/${pid}/stat")" || return 0
    state="${stat##*) }"
    [[ "${state%% *}" == Z ]] && return 0
    tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null
  elif kill -0 "$pid" 2>/dev/null && command -v ps >/dev/null; then
    ps -p "$pid" -o command= 2>/dev/null
  fi
}

# Prints the pid recorded in a pid file when that process is still alive and its command line
# contains every given marker (so a recycled pid of an unrelated process never counts).
pid_of_ours() {
  local pidfile="$1" pid cmdline marker
  shift
  [[ -f "$pidfile" ]] || return 1
  read -r pid <"$pidfile" || true
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  cmdline="$(process_cmdline "$pid")"
  [[ -n "$cmdline" ]] || return 1
  for marker in "$@"; do
    [[ "$cmdline" == *"$marker"* ]] || return 1
  done
  echo "$pid"
}

# Splits HOST:PORT (also [v6]:PORT) into the globals SPLIT_HOST and SPLIT_PORT.
split_host_port() {
  local hp="$1"
  SPLIT_PORT="${hp##*:}"
  SPLIT_HOST="${hp%:*}"
  SPLIT_HOST="${SPLIT_HOST#[}"
  SPLIT_HOST="${SPLIT_HOST%]}"
}
