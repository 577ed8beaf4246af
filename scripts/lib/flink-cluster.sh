# Helpers for the local standalone Flink cluster (scripts/flink-cluster, scripts/submit), also
# usable by other scripts (scripts/demo --cluster, scripts/chaos): source common.sh and stack.sh
# first, then this file. Do not run it.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the paths are used by the scripts that source this file

FLINK_CLUSTER_HOME="${CITYPULSE_LOCAL}/flink-cluster"
FLINK_CLUSTER_LIB="${FLINK_CLUSTER_HOME}/lib"
FLINK_CLUSTER_CONF="${FLINK_CLUSTER_HOME}/conf"
FLINK_CLUSTER_LOG="${FLINK_CLUSTER_HOME}/log"
FLINK_CLUSTER_RUN="${FLINK_CLUSTER_HOME}/run"
FLINK_CLUSTER_CHECKPOINTS="${FLINK_CLUSTER_HOME}/checkpoints"
FLINK_CLUSTER_SAVEPOINTS="${FLINK_CLUSTER_HOME}/savepoints"
FLINK_CLUSTER_TMP="${FLINK_CLUSTER_HOME}/tmp"
FLINK_CLUSTER_DEPS_POM="${CITYPULSE_ROOT}/scripts/flink-cluster-deps/pom.xml"
FLINK_CLUSTER_CONF_SRC="${CITYPULSE_ROOT}/scripts/conf/flink-cluster"
FLINK_JM_PID_FILE="${FLINK_CLUSTER_RUN}/jobmanager.pid"
# The TaskManager started last; every TaskManager also has run/taskmanager-N.pid.
FLINK_TM_PID_FILE="${FLINK_CLUSTER_RUN}/taskmanager.pid"

# Ports, all on 127.0.0.1: REST (and web UI) on FLINK_REST_PORT; the JobManager's RPC on
# FLINK_PORT_BASE, its blob server on +1, TaskManager RPC in +10..+29, TaskManager data (shuffle)
# ports +30..+49 (one per TaskManager started), metric query services +50..+69.
: "${FLINK_REST_PORT:=18081}"
: "${FLINK_PORT_BASE:=18200}"
FLINK_REST_URL="http://127.0.0.1:${FLINK_REST_PORT}"
# Each TaskManager's slots and process memory, read when the configuration is rendered (by 'up'
# while no JobManager runs): FLINK_TM_SLOTS (default 2), FLINK_TM_PROCESS_MEMORY (default 1728m).
FLINK_TM_SLOTS_DEFAULT=2
FLINK_TM_PROCESS_MEMORY_DEFAULT=1728m

FLINK_JM_MARKERS=("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint" "--configDir ${FLINK_CLUSTER_CONF}")
FLINK_TM_MARKERS=("org.apache.flink.runtime.taskexecutor.TaskManagerRunner" "--configDir ${FLINK_CLUSTER_CONF}")

# What Flink's own config.yaml passes on Java 17 (env.java.default-opts.all), plus the Avro
# trusted packages (DESIGN.md section 5).
FLINK_JVM_OPTS=(
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.citypulse
  -XX:+IgnoreUnrecognizedVMOptions
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# A property of the root pom (flink.version, log4j.version), so the cluster runs the Flink the jobs
# are built against.
root_pom_property() {
  sed -n "s:.*<$1>\\([^<]*\\)</$1>.*:\\1:p" "${CITYPULSE_ROOT}/pom.xml" | head -n 1
}

# Copies the cluster's jars (the published artifacts flink-dist's lib/ is made of, see
# scripts/flink-cluster-deps/pom.xml) from Maven Central into .local/flink-cluster/lib, once, and
# again when the pom or the Flink version changes. Through a temporary folder, so an interrupted
# download never leaves a half-filled lib behind.
ensure_flink_cluster_lib() {
  local flink_version log4j_version stamp marker="${FLINK_CLUSTER_LIB}/.complete"
  flink_version="$(root_pom_property flink.version)"
  log4j_version="$(root_pom_property log4j.version)"
  [[ -n "$flink_version" && -n "$log4j_version" ]] || die "flink.version/log4j.version not found in pom.xml"
  stamp="flink ${flink_version} log4j ${log4j_version}"
  if [[ -f "$marker" && ! "$FLINK_CLUSTER_DEPS_POM" -nt "$marker" && "$(<"$marker")" == "$stamp" ]]; then
    return 0
  fi
  mkdir -p "$FLINK_CLUSTER_HOME" "$FLINK_CLUSTER_LOG"
  local tmp="${FLINK_CLUSTER_HOME}/lib.download" out="${FLINK_CLUSTER_LOG}/download.log"
  rm -rf "$tmp"
  log "flink-cluster: fetching Flink ${flink_version} jars from Maven Central into ${FLINK_CLUSTER_LIB#"$CITYPULSE_ROOT"/} ..."
  if ! mvn -B -q -f "$FLINK_CLUSTER_DEPS_POM" dependency:copy-dependencies \
      -Dflink.version="$flink_version" -Dlog4j.version="$log4j_version" \
      -DoutputDirectory="$tmp" >"$out" 2>&1; then
    tail -n 20 "$out" >&2
    die "could not fetch the Flink jars (full output: $out)"
  fi
  echo "$stamp" >"${tmp}/.complete"
  rm -rf "$FLINK_CLUSTER_LIB"
  mv "$tmp" "$FLINK_CLUSTER_LIB"
}

# Renders scripts/conf/flink-cluster/{config.yaml,log4j*.properties} into .local/flink-cluster/conf
# with this checkout's paths and ports.
render_flink_cluster_conf() {
  mkdir -p "$FLINK_CLUSTER_CONF" "$FLINK_CLUSTER_LOG" "${FLINK_CLUSTER_HOME}/plugins" "$FLINK_CLUSTER_RUN" \
    "$FLINK_CLUSTER_CHECKPOINTS" "$FLINK_CLUSTER_SAVEPOINTS" "$FLINK_CLUSTER_TMP"
  local b="$FLINK_PORT_BASE" slots="${FLINK_TM_SLOTS:-$FLINK_TM_SLOTS_DEFAULT}"
  local memory="${FLINK_TM_PROCESS_MEMORY:-$FLINK_TM_PROCESS_MEMORY_DEFAULT}"
  [[ "$slots" =~ ^[1-9][0-9]*$ ]] || die "FLINK_TM_SLOTS must be a positive number, not '$slots'"
  [[ "$memory" =~ ^[1-9][0-9]*[mMgG]$ ]] || die "FLINK_TM_PROCESS_MEMORY must be a size like 1728m or 2g, not '$memory'"
  sed -e "s|@HOME@|${FLINK_CLUSTER_HOME}|g" \
    -e "s|@REST_PORT@|${FLINK_REST_PORT}|g" \
    -e "s|@RPC_PORT@|${b}|g" \
    -e "s|@BLOB_PORT@|$((b + 1))|g" \
    -e "s|@TM_RPC_PORTS@|\"$((b + 10))-$((b + 29))\"|g" \
    -e "s|@QUERY_PORTS@|\"$((b + 51))-$((b + 69))\"|g" \
    -e "s|@TM_SLOTS@|${slots}|g" \
    -e "s|@TM_PROCESS_MEMORY@|${memory}|g" \
    "${FLINK_CLUSTER_CONF_SRC}/config.yaml" >"${FLINK_CLUSTER_CONF}/config.yaml.new"
  mv "${FLINK_CLUSTER_CONF}/config.yaml.new" "${FLINK_CLUSTER_CONF}/config.yaml"
  cp "${FLINK_CLUSTER_CONF_SRC}/log4j.properties" "${FLINK_CLUSTER_CONF}/log4j.properties"
  cp "${FLINK_CLUSTER_CONF_SRC}/log4j-cli.properties" "${FLINK_CLUSTER_CONF}/log4j-cli.properties"
}

flink_jm_pid() { pid_of_ours "$FLINK_JM_PID_FILE" "${FLINK_JM_MARKERS[@]}"; }

# The PIDs of every live TaskManager of this cluster, one per line.
flink_tm_pids() {
  local f
  for f in "${FLINK_CLUSTER_RUN}"/taskmanager-*.pid; do
    [[ -e "$f" ]] || continue
    pid_of_ours "$f" "${FLINK_TM_MARKERS[@]}" || true
  done
}

# BashJavaUtils is what Flink's start scripts call to turn the memory settings into JVM options
# (-Xmx, -XX:MaxDirectMemorySize, ...) and the derived settings (-D ...). Prints its result lines.
flink_resource_params() {
  local command="$1" out
  out="$(java -Xmx128m -XX:TieredStopAtLevel=1 -cp "${FLINK_CLUSTER_LIB}/*" \
    -Dlog4j2.configurationFile="${FLINK_CLUSTER_CONF}/log4j-cli.properties" \
    -Dlog.file="${FLINK_CLUSTER_LOG}/client.log" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$command" \
    --configDir "$FLINK_CLUSTER_CONF" 2>&1)" || {
    echo "$out" >&2
    die "BashJavaUtils $command failed"
  }
  echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

# Starts the JobManager (StandaloneSessionClusterEntrypoint) unless it runs; writes its PID file.
start_flink_jobmanager() {
  local pid
  if pid="$(flink_jm_pid)"; then
    log "flink-cluster: JobManager already running (pid $pid)"
    return 0
  fi
  port_open 127.0.0.1 "$FLINK_REST_PORT" && die "port ${FLINK_REST_PORT} (FLINK_REST_PORT) is taken by another process"
  local params jvm dynamic
  params="$(flink_resource_params GET_JM_RESOURCE_PARAMS)"
  jvm="$(echo "$params" | sed -n 1p)"
  dynamic="$(echo "$params" | sed -n 2p)"
  local logfile="${FLINK_CLUSTER_LOG}/jobmanager.log"
  # shellcheck disable=SC2086 # jvm and dynamic hold several options each
  FLINK_PLUGINS_DIR="${FLINK_CLUSTER_HOME}/plugins" setsid nohup java $jvm "${FLINK_JVM_OPTS[@]}" ${FLINK_CLUSTER_JM_JAVA_OPTS:-} \
    -Dlog.file="$logfile" -Dlog4j2.configurationFile="${FLINK_CLUSTER_CONF}/log4j.properties" \
    -Djava.io.tmpdir="$FLINK_CLUSTER_TMP" \
    -cp "${FLINK_CLUSTER_LIB}/*" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$FLINK_CLUSTER_CONF" $dynamic \
    -Dmetrics.internal.query-service.port="$((FLINK_PORT_BASE + 50))" \
    >"${FLINK_CLUSTER_LOG}/jobmanager.out" 2>&1 </dev/null &
  echo $! >"$FLINK_JM_PID_FILE"
  log "flink-cluster: JobManager started (pid $!), log ${logfile#"$CITYPULSE_ROOT"/}"
}

# Starts one more TaskManager (TaskManagerRunner); writes run/taskmanager-N.pid and
# run/taskmanager.pid (the newest). Prints nothing; the PID is in the files.
start_flink_taskmanager() {
  local seq=0 seq_file="${FLINK_CLUSTER_RUN}/taskmanager.seq"
  [[ -f "$seq_file" ]] && read -r seq <"$seq_file"
  seq=$((seq + 1))
  echo "$seq" >"$seq_file"
  local params jvm dynamic data_port=$((FLINK_PORT_BASE + 30 + (seq % 20)))
  params="$(flink_resource_params GET_TM_RESOURCE_PARAMS)"
  jvm="$(echo "$params" | sed -n 1p)"
  dynamic="$(echo "$params" | sed -n 2p)"
  local logfile="${FLINK_CLUSTER_LOG}/taskmanager-${seq}.log"
  # shellcheck disable=SC2086 # jvm and dynamic hold several options each
  FLINK_PLUGINS_DIR="${FLINK_CLUSTER_HOME}/plugins" setsid nohup java $jvm "${FLINK_JVM_OPTS[@]}" ${FLINK_CLUSTER_TM_JAVA_OPTS:-} \
    -Dlog.file="$logfile" -Dlog4j2.configurationFile="${FLINK_CLUSTER_CONF}/log4j.properties" \
    -Djava.io.tmpdir="$FLINK_CLUSTER_TMP" \
    -cp "${FLINK_CLUSTER_LIB}/*" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$FLINK_CLUSTER_CONF" $dynamic \
    -Dtaskmanager.resource-id="tm-${seq}" -Dtaskmanager.data.port="$data_port" \
    -Dio.tmp.dirs="$FLINK_CLUSTER_TMP" \
    >"${FLINK_CLUSTER_LOG}/taskmanager-${seq}.out" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"${FLINK_CLUSTER_RUN}/taskmanager-${seq}.pid"
  echo "$pid" >"$FLINK_TM_PID_FILE"
  log "flink-cluster: TaskManager tm-${seq} started (pid $pid), log ${logfile#"$CITYPULSE_ROOT"/}"
}

# GET on the REST API; prints the body.
flink_rest() {
  curl -sf --max-time 5 "${FLINK_REST_URL}$1"
}

# A field of the REST API's /overview (taskmanagers, slots-total, slots-available, ...); 0 when
# the REST API does not answer.
flink_overview_field() {
  local body
  body="$(flink_rest /overview 2>/dev/null)" || { echo 0; return; }
  echo "$body" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# Waits until the REST API answers and at least N TaskManagers are registered.
wait_flink_cluster() {
  local want="${1:-1}" timeout="${FLINK_CLUSTER_START_TIMEOUT:-90}" waited=0 n
  while :; do
    n="$(flink_overview_field taskmanagers)"
    [[ "${n:-0}" -ge "$want" ]] && return 0
    flink_jm_pid >/dev/null || {
      tail -n 30 "${FLINK_CLUSTER_LOG}/jobmanager.log" "${FLINK_CLUSTER_LOG}/jobmanager.out" >&2 2>/dev/null
      die "the JobManager is not running"
    }
    ((waited >= timeout)) && die "no ${want} TaskManager(s) registered after ${timeout}s (logs in ${FLINK_CLUSTER_LOG})"
    sleep 1
    waited=$((waited + 1))
  done
}

# Sends SIG to PID and waits up to T seconds for it to go; SIGKILL after that.
stop_pid() {
  local pid="$1" what="$2" t="${3:-30}" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < t * 5; i++)); do
    [[ -n "$(process_cmdline "$pid")" ]] || { log "flink-cluster: $what stopped (pid $pid)"; return 0; }
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  log "flink-cluster: $what killed after ${t}s (pid $pid)"
}

# Flink's command-line front end (what bin/flink runs) against this cluster: FLINK_CONF_DIR is
# the cluster's rendered conf, so it finds the REST address there.
flink_cli() {
  ensure_flink_cluster_lib
  [[ -f "${FLINK_CLUSTER_CONF}/config.yaml" ]] || render_flink_cluster_conf
  mkdir -p "${FLINK_CLUSTER_HOME}/plugins"
  # shellcheck disable=SC2086 # FLINK_CLI_JAVA_OPTS holds several JVM options
  FLINK_CONF_DIR="$FLINK_CLUSTER_CONF" FLINK_PLUGINS_DIR="${FLINK_CLUSTER_HOME}/plugins" java -Xmx512m "${FLINK_JVM_OPTS[@]}" ${FLINK_CLI_JAVA_OPTS:-} \
    -Dlog.file="${FLINK_CLUSTER_LOG}/client.log" \
    -Dlog4j2.configurationFile="${FLINK_CLUSTER_CONF}/log4j-cli.properties" \
    -cp "${FLINK_CLUSTER_LIB}/*" org.apache.flink.client.cli.CliFrontend "$@"
}

# The id of the job most recently submitted by scripts/submit under the name JOB (hotspot, sla,
# ...), or JOB itself when it is already a 32-hex-digit job id.
flink_job_id() {
  local job="$1" f="${FLINK_CLUSTER_RUN}/job-$1.id"
  if [[ "$job" =~ ^[0-9a-f]{32}$ ]]; then
    echo "$job"
  elif [[ -f "$f" ]]; then
    cat "$f"
  else
    die "no job id for '$job': give a job id (scripts/flink-cluster list) or a job name started by scripts/submit"
  fi
}

# The state of a job (RUNNING, FINISHED, CANCELED, FAILED, ...) from the REST API.
flink_job_state() {
  flink_rest "/jobs/$1" | sed -n 's/^{"jid":"[0-9a-f]*","name":"[^"]*","isStoppable":[a-z]*,"state":"\([A-Z_]*\)".*/\1/p'
}

# Waits until job ID is in one of the given states; prints the state. Fails after T seconds.
wait_flink_job_state() {
  local id="$1" timeout="$2" state i
  shift 2
  for ((i = 0; i < timeout; i++)); do
    state="$(flink_job_state "$id" 2>/dev/null || true)"
    local s
    for s in "$@"; do
      [[ "$state" == "$s" ]] && { echo "$state"; return 0; }
    done
    sleep 1
  done
  die "job $id is ${state:-unknown}, not $* after ${timeout}s"
}

# For scripts/demo --cluster: brings the cluster up and submits JOB in detached mode (bounded
# jobs finish by themselves); waits until it has finished when the first argument is --wait.
#   citypulse_cluster_run [--wait] JOB [job options]
citypulse_cluster_run() {
  local wait=0
  [[ "${1:-}" == "--wait" ]] && { wait=1; shift; }
  "${CITYPULSE_ROOT}/scripts/flink-cluster" up >&2
  "${CITYPULSE_ROOT}/scripts/submit" "$@" >&2
  if [[ "$wait" == 1 ]]; then
    local id
    id="$(flink_job_id "$1")"
    local state
    state="$(wait_flink_job_state "$id" "${FLINK_JOB_TIMEOUT:-900}" FINISHED FAILED CANCELED)"
    [[ "$state" == FINISHED ]] || die "job $1 ($id) ended $state; see ${FLINK_CLUSTER_LOG}"
  fi
}
