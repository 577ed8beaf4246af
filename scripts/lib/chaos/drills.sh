# The failure drills behind scripts/chaos. Source common.sh, stack.sh and flink-cluster.sh first.
# Do not run it.
# shellcheck shell=bash

: "${CHAOS_SEED:=11}"
: "${CHAOS_START:=2026-10-05}"
: "${CHAOS_DAYS:=2}"
: "${CHAOS_SCALE:=0.25}"
: "${CHAOS_DURATION:=90}"
: "${CHAOS_FAULT_AT:=0.4}"
: "${CHAOS_OUTAGE:=60}"
: "${CHAOS_JOBS:=hotspot,alerts,notifier}"
: "${CHAOS_PORT_BASE:=18200}"
: "${CHAOS_RECEIVER_PORT:=$((CHAOS_PORT_BASE + 80))}"
: "${CHAOS_KEEP:=0}"
# 1: the jobs run on the local standalone Flink cluster (scripts/flink-cluster, scripts/submit)
# instead of each in its own embedded Flink; CHAOS_CLUSTER_PARALLELISM gives each job's parallelism
# there (the slots a drill needs are their sum).
: "${CHAOS_CLUSTER:=0}"
: "${CHAOS_CLUSTER_PARALLELISM:=hotspot=2,alerts=1,notifier=1}"
CHAOS_CLUSTER_STARTED=0
CHAOS_CLUSTER_USED=0
# Partitions must not count as idle during a drill: the input is replayed about 2,000 times
# faster than real time, so the jobs' default 30 s would be 16 hours of event time, and an idle
# source would also drop the final watermark of stop --drain (see the report).
: "${CHAOS_IDLENESS:=10m}"
: "${CHAOS_RECOVERY_TIMEOUT:=300}"
: "${CHAOS_CATCHUP_TIMEOUT:=900}"
CHAOS_DIR="${CITYPULSE_LOCAL}/chaos"
: "${CHAOS_REPORT:=${CHAOS_DIR}/report.md}"
: "${CHAOS_JSON:=}"
CHAOS_SURGE_START="2026-10-06T09:00"
CHAOS_CLASSES="${CHAOS_DIR}/classes"
DRILL_PIDS=()

chaos_now_ms() { date +%s%3N; }

chaos_bootstrap() { echo "${KAFKA_BOOTSTRAP:-$KAFKA_BOOTSTRAP_DEFAULT}"; }
chaos_clickhouse() { echo "${CLICKHOUSE_URL:-$CLICKHOUSE_URL_DEFAULT}"; }

chaos_has_job() { [[ ",${CHAOS_JOBS}," == *",$1,"* ]]; }

chaos_cluster() { [[ "$CHAOS_CLUSTER" == 1 ]]; }

# A job's parallelism on the cluster (CHAOS_CLUSTER_PARALLELISM; 1 when not named there).
chaos_parallelism() {
  local entry
  for entry in ${CHAOS_CLUSTER_PARALLELISM//,/ }; do
    [[ "${entry%%=*}" == "$1" ]] && { echo "${entry#*=}"; return; }
  done
  echo 1
}

# The slots the drilled jobs take on the cluster (each job's tasks share one slot per subtask).
chaos_cluster_slots_needed() {
  local j n=0
  for j in $(drill_jobs); do
    n=$((n + $(chaos_parallelism "$j")))
  done
  echo "$n"
}

chaos_rest_port() {
  case "$1" in
    hotspot) echo $((CHAOS_PORT_BASE + 1)) ;;
    alerts) echo $((CHAOS_PORT_BASE + 2)) ;;
    notifier) echo $((CHAOS_PORT_BASE + 3)) ;;
  esac
}

# Compiles the drill driver (jobs/src/test/java/io/citypulse/chaos) against the jobs jar.
chaos_build_driver() {
  ensure_built
  local src="${CITYPULSE_ROOT}/jobs/src/test/java/io/citypulse/chaos" stamp="${CHAOS_CLASSES}/.built"
  if [[ -f "$stamp" && -z "$(find "$src" "$JOBS_JAR" -newer "$stamp" -print -quit)" ]]; then
    return 0
  fi
  rm -rf "$CHAOS_CLASSES"
  mkdir -p "$CHAOS_CLASSES"
  local sources=()
  mapfile -t sources < <(find "$src" -name '*.java' ! -name '*ITCase.java' ! -name '*Test.java')
  javac -nowarn -d "$CHAOS_CLASSES" -cp "${JOBS_JAR}:$(cat "$JOBS_CLASSPATH_FILE")" "${sources[@]}" \
    || die "could not compile the drill driver in ${src#"$CITYPULSE_ROOT"/}"
  touch "$stamp"
}

# Runs the drill driver in place of the calling (sub)shell: in the background, $! is then the
# driver's own pid, which teardown can stop.
chaos_driver() {
  exec java -Xmx768m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.citypulse \
    -Dlog4j.configurationFile="${CITYPULSE_ROOT}/scripts/lib/log4j2-cli.properties" \
    -cp "${CHAOS_CLASSES}:${JOBS_JAR}:$(cat "$JOBS_CLASSPATH_FILE")" io.citypulse.chaos.ChaosDriver "$@"
}

chaos_preflight() {
  "${CITYPULSE_ROOT}/scripts/stack" status >/dev/null 2>&1 \
    || die "the local stack is not up: run scripts/stack up first"
  chaos_build_driver
  chaos_input
  if chaos_cluster; then
    chaos_cluster_up
  fi
}

# --cluster: brings the local standalone cluster up unless its JobManager runs (then with one
# TaskManager holding every slot the drills need: FLINK_TM_SLOTS, when larger, wins), and checks
# that enough slots are free. A cluster the drills started is stopped again at the end, and
# started afresh before each further drill: every job submitted to a session cluster leaves its
# user-code class loader behind in the JobManager and the TaskManager (roughly 15 MB of
# metaspace each, not freed by a full GC), and after about a dozen jobs the TaskManager dies with
# "OutOfMemoryError: Metaspace" - a fresh cluster per drill keeps the drills independent.
chaos_cluster_up() {
  local j p needed free
  for j in $(drill_jobs); do
    p="$(chaos_parallelism "$j")"
    [[ "$p" =~ ^[1-9][0-9]*$ ]] || die "CHAOS_CLUSTER_PARALLELISM: '$p' is not a parallelism for $j"
  done
  needed="$(chaos_cluster_slots_needed)"
  if ! flink_jm_pid >/dev/null; then
    local slots="${FLINK_TM_SLOTS:-$needed}"
    ((slots >= needed)) || slots="$needed"
    log "flink-cluster: starting the local cluster (one TaskManager with ${slots} slots) ..."
    CHAOS_CLUSTER_STARTED=1
    FLINK_TM_SLOTS="$slots" "${CITYPULSE_ROOT}/scripts/flink-cluster" up >>"${CHAOS_DIR}/flink-cluster.log" 2>&1 \
      || { tail -n 20 "${CHAOS_DIR}/flink-cluster.log" >&2; die "could not start the local Flink cluster"; }
  elif [[ -z "$(flink_tm_pids)" ]]; then
    log "flink-cluster: no TaskManager runs; starting one"
    "${CITYPULSE_ROOT}/scripts/flink-cluster" up >>"${CHAOS_DIR}/flink-cluster.log" 2>&1 \
      || die "could not start a TaskManager (see ${CHAOS_DIR}/flink-cluster.log)"
  fi
  wait_flink_cluster 1
  free="$(flink_overview_field slots-available)"
  if ((free < needed)); then
    die "the local Flink cluster has ${free} free slot(s), the drills need ${needed} ($(echo "${CHAOS_CLUSTER_PARALLELISM}" | tr ',' ' ')): stop its jobs, or restart it with more slots (scripts/flink-cluster down; FLINK_TM_SLOTS=${needed} scripts/flink-cluster up)"
  fi
  local tms
  tms="$(flink_overview_field taskmanagers)"
  if ((tms > 1)); then
    log "flink-cluster: note: ${tms} TaskManagers; kill-tm kills the newest only"
  fi
  log "flink-cluster: ${FLINK_REST_URL}, ${free} free slot(s), the drills take ${needed}"
}

# Before each drill on the cluster: a fresh cluster when the drills own it and it ran a drill
# already (see chaos_cluster_up); a cluster that was up before is used as it is.
chaos_cluster_fresh() {
  if [[ "$CHAOS_CLUSTER_USED" == 1 && "$CHAOS_CLUSTER_STARTED" == 1 ]]; then
    log "flink-cluster: restarting the cluster for the next drill"
    chaos_cluster_down
    chaos_cluster_up
  fi
  CHAOS_CLUSTER_USED=1
}

chaos_cluster_down() {
  if [[ "$CHAOS_CLUSTER_STARTED" == 1 ]]; then
    log "flink-cluster: stopping the cluster the drills started (logs kept in ${FLINK_CLUSTER_LOG#"$CITYPULSE_ROOT"/})"
    "${CITYPULSE_ROOT}/scripts/flink-cluster" down >>"${CHAOS_DIR}/flink-cluster.log" 2>&1 || true
    CHAOS_CLUSTER_STARTED=0
  fi
}

# The known input: simulated once, kept in .local/chaos/input (JSON lines and truth file).
chaos_input() {
  CHAOS_INPUT="${CHAOS_DIR}/input/seed${CHAOS_SEED}-${CHAOS_START}-${CHAOS_DAYS}d-x${CHAOS_SCALE}"
  if [[ -s "${CHAOS_INPUT}/events.jsonl" && -f "${CHAOS_INPUT}/.complete" ]]; then
    return 0
  fi
  mkdir -p "$CHAOS_INPUT"
  cat >"${CHAOS_INPUT}/incidents.yaml" <<EOF
incidents:
  - id: water-main
    category: WATER
    start: ${CHAOS_SURGE_START}
    duration: 3h
    multiplier: 6
EOF
  log "simulating the drills' city (seed ${CHAOS_SEED}, ${CHAOS_DAYS} days, scale ${CHAOS_SCALE}) ..."
  "${CITYPULSE_ROOT}/scripts/simulate" --start "$CHAOS_START" --days "$CHAOS_DAYS" \
    --seed "$CHAOS_SEED" --scale "$CHAOS_SCALE" --incidents "${CHAOS_INPUT}/incidents.yaml" \
    --duplicates 0.01 --no-kafka --jsonl "${CHAOS_INPUT}/events.jsonl" \
    --truth "${CHAOS_INPUT}/truth.json" >"${CHAOS_INPUT}/simulate.log" 2>&1 \
    || { tail -n 20 "${CHAOS_INPUT}/simulate.log" >&2; die "the simulator failed"; }
  touch "${CHAOS_INPUT}/.complete"
}

# ---------------------------------------------------------------------------------------------
# One drill's resources

drill_setup() {
  local name="$1"
  DRILL_DIR="${CHAOS_DIR}/${name}"
  DRILL_PREFIX="chaos-${name}-$(date +%m%d%H%M%S)"
  DRILL_DB="chaos_${name//-/_}"
  rm -rf "$DRILL_DIR"
  mkdir -p "$DRILL_DIR"
  T_TICKETS="${DRILL_PREFIX}-tickets"
  T_LEADS="${DRILL_PREFIX}-leads"
  T_ALERTS="${DRILL_PREFIX}-alerts"
  T_DEAD="${DRILL_PREFIX}-dead-letters"
  T_DELIVERIES="${DRILL_PREFIX}-deliveries"
  T_FAILURES="${DRILL_PREFIX}-failures"
  kafka_tool EnsureTopics --bootstrap "$(chaos_bootstrap)" --timeout-seconds 240 \
    "${T_TICKETS}:2" "${T_LEADS}:2" "${T_ALERTS}:1" "${T_DEAD}:1" "${T_DELIVERIES}:1" \
    "${T_FAILURES}:1" >/dev/null || die "could not create the drill's topics"
  node "$CLICKHOUSE_CLI" query "DROP DATABASE IF EXISTS ${DRILL_DB}" --url "$(chaos_clickhouse)" >/dev/null
  node "$CLICKHOUSE_CLI" migrate --database "$DRILL_DB" --url "$(chaos_clickhouse)" >/dev/null \
    || die "could not create the database ${DRILL_DB}"
  printf 'drill-secret-%s\n' "$RANDOM$RANDOM" >"${DRILL_DIR}/hook.secret"
  cat >"${DRILL_DIR}/subscriptions.yaml" <<EOF
subscribers:
  - name: chaos-receiver
    endpoint: http://127.0.0.1:${CHAOS_RECEIVER_PORT}/hook
    format: webhook
    secretFile: hook.secret
EOF
  DRILL_PIDS=()
}

drill_teardown() {
  local pass="$1" pid
  for pid in "${DRILL_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${DRILL_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  DRILL_PIDS=()
  if chaos_cluster; then
    cancel_cluster_jobs
  fi
  if [[ "$pass" == 1 && "$CHAOS_KEEP" != 1 ]]; then
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(chaos_bootstrap)" --delete \
      --topic "${DRILL_PREFIX}-.*" >/dev/null 2>&1 || true
    node "$CLICKHOUSE_CLI" query "DROP DATABASE IF EXISTS ${DRILL_DB}" --url "$(chaos_clickhouse)" >/dev/null 2>&1 || true
    rm -rf "${DRILL_DIR}"/cp-* "${DRILL_DIR}"/sp-*
  fi
}

# Cancels every job this drill submitted to the cluster that has not ended (frees its slots for
# the next drill) and waits up to a minute for each to end.
cancel_cluster_jobs() {
  local f jid state deadline
  [[ -n "${DRILL_DIR:-}" ]] || return 0
  for f in "${DRILL_DIR}"/*.jid; do
    [[ -e "$f" ]] || continue
    jid="$(<"$f")"
    state="$(cluster_job_state "$jid")"
    case "$state" in
      "" | FINISHED | CANCELED | FAILED) continue ;;
    esac
    log "$(basename "$f" .jid): cancelling job ${jid} (${state})"
    curl -sf --max-time 10 -X PATCH "${FLINK_REST_URL}/jobs/${jid}?mode=cancel" >/dev/null 2>&1 || true
    deadline=$((SECONDS + 60))
    until [[ "$(cluster_job_state "$jid")" =~ ^(CANCELED|FINISHED|FAILED|)$ ]] || ((SECONDS >= deadline)); do
      sleep 1
    done
  done
}

# Starts a job unbounded, in the background in its own embedded Flink (scripts/run; the pid goes
# to DRILL_DIR/JOB.pid), or with --cluster submitted to the local cluster (scripts/submit, at
# its CHAOS_CLUSTER_PARALLELISM; the job id goes to DRILL_DIR/JOB.jid).
# start_job JOB [extra args...]
start_job() {
  local job="$1"
  shift
  local args=(--bootstrap "$(chaos_bootstrap)" --dead-letter-topic "$T_DEAD"
    --group-id "${DRILL_PREFIX}-${job}")
  # The REST port only for an embedded run: on the cluster the JobManager's REST API serves all.
  chaos_cluster || args+=("-Drest.port=$(chaos_rest_port "$job")" "-Drest.bind-address=127.0.0.1")
  args+=("-Dexecution.checkpointing.dir=file://${DRILL_DIR}/cp-${job}"
    "-Dexecution.checkpointing.externalized-checkpoint-retention=RETAIN_ON_CANCELLATION")
  case "$job" in
    hotspot) args+=(--clickhouse-url "$(chaos_clickhouse)" --clickhouse-database "$DRILL_DB"
      --idleness "$CHAOS_IDLENESS" --tickets-topic "$T_TICKETS" --leads-topic "$T_LEADS") ;;
    alerts) args+=(--clickhouse-url "$(chaos_clickhouse)" --clickhouse-database "$DRILL_DB"
      --idleness "$CHAOS_IDLENESS" --tickets-topic "$T_TICKETS" --leads-topic "$T_LEADS" --alerts-topic "$T_ALERTS" --warmup 1d) ;;
    notifier) args+=(--alerts-topic "$T_ALERTS" --deliveries-topic "$T_DELIVERIES"
      --failures-topic "$T_FAILURES" --subscriptions "${DRILL_DIR}/subscriptions.yaml") ;;
  esac
  if chaos_cluster; then
    # Synchronous: flink run --detached returns once the JobManager has accepted the job.
    "${CITYPULSE_ROOT}/scripts/submit" --parallelism "$(chaos_parallelism "$job")" "$job" "${args[@]}" "$@" \
      >>"${DRILL_DIR}/${job}.log" 2>&1 || { log "$job: scripts/submit failed (see ${DRILL_DIR}/${job}.log)"; return 1; }
    flink_job_id "$job" >"${DRILL_DIR}/${job}.jid"
    log "$job: submitted to the cluster as job $(<"${DRILL_DIR}/${job}.jid") (parallelism $(chaos_parallelism "$job"))"
    return 0
  fi
  # C1 only and the serial collector: these small runs start faster and leave CPU to the others.
  CITYPULSE_JAVA_OPTS="${CHAOS_JOB_JAVA_OPTS:--Xmx768m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}" \
    "${CITYPULSE_ROOT}/scripts/run" "$job" "${args[@]}" "$@" >>"${DRILL_DIR}/${job}.log" 2>&1 &
  echo "$!" >"${DRILL_DIR}/${job}.pid"
  DRILL_PIDS+=("$!")
}

drill_jobs() {
  local j jobs=()
  for j in hotspot alerts notifier; do
    chaos_has_job "$j" && jobs+=("$j")
  done
  echo "${jobs[@]}"
}

# GET on the REST API that serves JOB: its embedded Flink's, or the cluster's JobManager's.
rest() {
  if chaos_cluster; then
    flink_rest "$2"
  else
    curl -sf --max-time 5 "http://127.0.0.1:$(chaos_rest_port "$1")$2"
  fi
}

# A cluster job's state by id (empty when the REST API does not answer).
cluster_job_state() {
  flink_rest "/jobs/$1" 2>/dev/null | jq -r '.state // empty' 2>/dev/null || true
}

# The id of the job's current (non-terminal) run, empty when none answers. On the cluster: the id
# scripts/submit gave it (one job id for the whole drill: the JobManager restarts it in place).
job_id() {
  if chaos_cluster; then
    local state
    [[ -s "${DRILL_DIR}/$1.jid" ]] || return 0
    state="$(cluster_job_state "$(<"${DRILL_DIR}/$1.jid")")"
    # A REST call that timed out (empty state) does not hide the job.
    [[ "$state" != FINISHED && "$state" != CANCELED ]] && cat "${DRILL_DIR}/$1.jid"
    return 0
  fi
  rest "$1" /jobs/overview 2>/dev/null \
    | jq -r '[.jobs[] | select(.state != "FINISHED" and .state != "CANCELED")][0].jid // empty' 2>/dev/null || true
}

job_state() {
  if chaos_cluster; then
    [[ -s "${DRILL_DIR}/$1.jid" ]] && cluster_job_state "$(<"${DRILL_DIR}/$1.jid")"
    return 0
  fi
  rest "$1" /jobs/overview 2>/dev/null | jq -r '[.jobs[]][0].state // empty' 2>/dev/null || true
}

# Whether what runs JOB is still there: its embedded JVM, or the cluster's JobManager and a
# TaskManager (one that died by itself, e.g. of an OutOfMemoryError, is not restarted: the jobs
# would wait for slots for ever).
job_host_alive() {
  if chaos_cluster; then
    flink_jm_pid >/dev/null && [[ -n "$(flink_tm_pids)" ]]
  else
    kill -0 "$(cat "${DRILL_DIR}/$1.pid")" 2>/dev/null
  fi
}

# Epoch ms of the job's latest completed checkpoint (0 when none).
last_checkpoint_ms() {
  local jid
  jid="$(job_id "$1")"
  [[ -n "$jid" ]] || { echo 0; return; }
  rest "$1" "/jobs/${jid}/checkpoints" 2>/dev/null \
    | jq -r '.latest.completed.latest_ack_timestamp // 0' 2>/dev/null || echo 0
}

job_restarts() {
  local jid
  jid="$(job_id "$1")"
  [[ -n "$jid" ]] || { echo "?"; return; }
  rest "$1" "/jobs/${jid}/exceptions" 2>/dev/null | jq -r '.exceptionHistory.entries | length' 2>/dev/null || echo "?"
}

# Waits until every job is RUNNING; false after the deadline.
await_running() {
  local deadline=$((SECONDS + $1)) j
  for j in $(drill_jobs); do
    until [[ "$(job_state "$j")" == RUNNING ]]; do
      ((SECONDS < deadline)) || { log "$j: not RUNNING after $1 s"; return 1; }
      sleep 1
    done
  done
}

# Waits until every job is RUNNING and has completed a checkpoint after SINCE_MS (the jobs
# are "back to normal"); prints the seconds from SINCE_MS; false after the timeout.
await_recovered() {
  local since="$1" deadline=$((SECONDS + CHAOS_RECOVERY_TIMEOUT)) j state
  for j in $(drill_jobs); do
    while true; do
      state="$(job_state "$j")"
      if [[ "$state" == RUNNING && "$(last_checkpoint_ms "$j")" -gt "$since" ]]; then
        break
      fi
      if [[ "$state" == FAILED ]] || ! job_host_alive "$j"; then
        log "$j: the job failed and did not come back by itself (state ${state:-gone})"
        return 1
      fi
      ((SECONDS < deadline)) || { log "$j: not recovered after ${CHAOS_RECOVERY_TIMEOUT} s"; return 1; }
      sleep 1
    done
  done
  echo $((($(chaos_now_ms) - since + 500) / 1000))
}

# Waits until the job's consumer group has committed its input topics to their ends.
await_caught_up() {
  local job="$1" topics="$2" deadline=$((SECONDS + CHAOS_CATCHUP_TIMEOUT)) out
  until out="$(chaos_driver lag --bootstrap "$(chaos_bootstrap)" --group "${DRILL_PREFIX}-${job}" --topics "$topics" 2>/dev/null)"; do
    if ! job_host_alive "$job"; then
      log "$job: the process is gone"
      return 1
    fi
    ((SECONDS < deadline)) || { log "$job: input not consumed after ${CHAOS_CATCHUP_TIMEOUT} s (${out:-?})"; return 1; }
    sleep 3
  done
}

# Ends an unbounded run as an operator would: stop with a savepoint and --drain, which fires
# every window and timer like the end of a bounded input; waits for the process to exit.
stop_drain() {
  local job="$1" jid pid="" deadline url
  jid="$(job_id "$job")"
  if [[ -z "$jid" ]]; then
    log "$job: no running job to stop"
    return 1
  fi
  if chaos_cluster; then
    url="$FLINK_REST_URL"
  else
    url="http://127.0.0.1:$(chaos_rest_port "$job")"
    pid="$(cat "${DRILL_DIR}/${job}.pid")"
  fi
  curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' \
    -d "{\"drain\": true, \"targetDirectory\": \"file://${DRILL_DIR}/sp-${job}\"}" \
    "${url}/jobs/${jid}/stop" >/dev/null \
    || { log "$job: stop --drain was refused"; return 1; }
  deadline=$((SECONDS + 300))
  if chaos_cluster; then
    local state
    until state="$(cluster_job_state "$jid")"; [[ "$state" == FINISHED ]]; do
      [[ "$state" =~ ^(FAILED|CANCELED)$ ]] && { log "$job: ${state} instead of FINISHED after stop --drain"; return 1; }
      ((SECONDS < deadline)) || { log "$job: not FINISHED 300 s after stop --drain"; return 1; }
      sleep 1
    done
    return 0
  fi
  until [[ "$(job_state "$job")" == FINISHED ]] || ! kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || { log "$job: not FINISHED 300 s after stop --drain"; return 1; }
    sleep 1
  done
  # The embedded JVM does not always exit by itself once its job has finished (non-daemon
  # Flink threads outlive main); the job is done, so end the process.
  deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
  done
}

# The newest complete retained checkpoint of a job (a chk-N folder holding _metadata).
latest_checkpoint() {
  find "${DRILL_DIR}/cp-$1" -name _metadata -path '*/chk-*' -printf '%T@ %h\n' 2>/dev/null \
    | sort -n | tail -n 1 | cut -d' ' -f2
}

# ---------------------------------------------------------------------------------------------
# Faults. Each sets FAULT_DESC and FAULT_REPAIRED_MS (when the failure was undone).

fault_kill_tm() {
  if chaos_cluster; then
    fault_kill_tm_cluster
    return
  fi
  local j pid cp
  FAULT_DESC="SIGKILL of every job process (embedded Flink: JobManager and TaskManager in one JVM), restarted from the last retained checkpoint"
  for j in $(drill_jobs); do
    pid="$(cat "${DRILL_DIR}/${j}.pid")"
    log "$j: kill -9 ${pid}"
    kill -KILL "$pid" 2>/dev/null || true
  done
  for j in $(drill_jobs); do
    wait "$(cat "${DRILL_DIR}/${j}.pid")" 2>/dev/null || true
  done
  for j in $(drill_jobs); do
    cp="$(latest_checkpoint "$j")"
    if [[ -z "$cp" ]]; then
      log "$j: no retained checkpoint; starting from the group's committed offsets"
      start_job "$j"
    else
      log "$j: restarting from ${cp#"$CITYPULSE_ROOT"/}"
      echo "$cp" >"${DRILL_DIR}/${j}.restored-from"
      start_job "$j" "-Dexecution.state-recovery.path=file://${cp}"
    fi
  done
  FAULT_REPAIRED_MS="$(chaos_now_ms)"
}

# The real thing on the standalone cluster: SIGKILL of the TaskManager that runs every task of the
# drilled jobs, a new TaskManager started at once (as a supervisor would); the JobManager, which
# keeps running, notices the loss and restores each job from its latest completed checkpoint
# through its restart strategy. Nothing is resubmitted.
fault_kill_tm_cluster() {
  local pid out
  FAULT_DESC="SIGKILL of the TaskManager (standalone cluster; every drilled task on it), a new TaskManager started; the JobManager restored the jobs from their latest checkpoint by itself"
  pid="$("${CITYPULSE_ROOT}/scripts/flink-cluster" tm-kill 2>>"${DRILL_DIR}/flink-cluster.log")" \
    || die "could not kill the TaskManager (see ${DRILL_DIR}/flink-cluster.log)"
  log "flink-cluster: TaskManager pid ${pid} killed with SIGKILL"
  out="$("${CITYPULSE_ROOT}/scripts/flink-cluster" tm-start 2>>"${DRILL_DIR}/flink-cluster.log")" \
    || die "could not start a new TaskManager (see ${DRILL_DIR}/flink-cluster.log)"
  FAULT_REPAIRED_MS="$(chaos_now_ms)"
  log "flink-cluster: new ${out}"
}

# After a cluster drill: each job's exception history and checkpoint restores (REST), kept in
# DRILL_DIR (JOB.exceptions.json, JOB.checkpoints.json, JOB.restored-from) and logged; sets
# CLUSTER_RESTORES (e.g. "hotspot: 1 restore, from chk-8; ...") for the summary.
record_cluster_history() {
  local j jid line
  CLUSTER_RESTORES=""
  for j in $(drill_jobs); do
    [[ -s "${DRILL_DIR}/${j}.jid" ]] || continue
    jid="$(<"${DRILL_DIR}/${j}.jid")"
    rest "$j" "/jobs/${jid}/exceptions" >"${DRILL_DIR}/${j}.exceptions.json" 2>/dev/null || true
    rest "$j" "/jobs/${jid}/checkpoints" >"${DRILL_DIR}/${j}.checkpoints.json" 2>/dev/null || true
    jq -r '.latest.restored // empty | "checkpoint \(.id) \(.external_path)"' "${DRILL_DIR}/${j}.checkpoints.json" \
      >"${DRILL_DIR}/${j}.restored-from" 2>/dev/null || true
    [[ -s "${DRILL_DIR}/${j}.restored-from" ]] || rm -f "${DRILL_DIR}/${j}.restored-from"
    line="$(jq -r '"\(.counts.restored // 0) restore(s)"
      + (if .latest.restored then ", the last from chk-\(.latest.restored.id)" else "" end)
      + ", \(.counts.completed // 0) checkpoints completed, \(.counts.failed // 0) failed"' \
      "${DRILL_DIR}/${j}.checkpoints.json" 2>/dev/null || echo "?")"
    line+="; exception history: $(jq -r '(.exceptionHistory.entries // []) | "\(length)"
      + (if length > 0 then " (" + ([.[] | .stacktrace | split("\n")[0] | sub("^[^ ]*: "; "")] | unique | join("; ")) + ")" else "" end)' \
      "${DRILL_DIR}/${j}.exceptions.json" 2>/dev/null || echo "?")"
    log "$j: $line"
    CLUSTER_RESTORES+="${CLUSTER_RESTORES:+; }${j}: ${line}"
  done
}

fault_clickhouse_outage() {
  local pid
  FAULT_DESC="ClickHouse adapter stopped (SIGTERM by pid) for ${CHAOS_OUTAGE} s, then started again on the same data directory"
  pid="$(pid_of_ours "${STACK_RUN_DIR}/clickhouse.pid" "${CLICKHOUSE_SERVER_DIR}/server.js")" \
    || die "the local ClickHouse adapter is not running (the drill needs the local stack's)"
  log "clickhouse: stopping pid ${pid} for ${CHAOS_OUTAGE} s"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  sleep "$CHAOS_OUTAGE" # the outage itself
  local up
  "${CITYPULSE_ROOT}/scripts/stack" up clickhouse >>"${DRILL_DIR}/stack.log" 2>&1 &
  up=$!
  # Back when it answers /ping (stack up then also re-applies migrations and the catalogue).
  until node "$CLICKHOUSE_CLI" ping --url "$(chaos_clickhouse)" >/dev/null 2>&1; do
    kill -0 "$up" 2>/dev/null || break
    sleep 0.5
  done
  FAULT_REPAIRED_MS="$(chaos_now_ms)"
  # stack up's closing status check can time out on a loaded machine although the adapter is
  # up; what counts is that it answers.
  wait "$up" || true
  node "$CLICKHOUSE_CLI" ping --url "$(chaos_clickhouse)" --wait 60 >/dev/null 2>&1 \
    || die "could not start ClickHouse again (see ${DRILL_DIR}/stack.log)"
  FAULT_DESC="ClickHouse adapter stopped (SIGTERM by pid) and started again on the same data directory; unreachable for $(((FAULT_REPAIRED_MS - FAULT_START_MS) / 1000)) s (${CHAOS_OUTAGE} s stopped plus its start)"
  log "clickhouse: back, answering /ping after $(((FAULT_REPAIRED_MS - FAULT_START_MS) / 1000)) s"
}

fault_kafka_restart() {
  local t0
  FAULT_DESC="Kafka broker stopped (SIGTERM) and started again on the same data directory"
  t0=$SECONDS
  "${CITYPULSE_ROOT}/scripts/stack" down kafka >>"${DRILL_DIR}/stack.log" 2>&1
  "${CITYPULSE_ROOT}/scripts/stack" up kafka >>"${DRILL_DIR}/stack.log" 2>&1 \
    || die "could not start Kafka again (see ${DRILL_DIR}/stack.log)"
  FAULT_REPAIRED_MS="$(chaos_now_ms)"
  FAULT_DESC="Kafka broker stopped (SIGTERM) and started again on the same data directory; unavailable for $((SECONDS - t0)) s"
  log "kafka: back after $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------------------------------------

run_drill() {
  local name="$1" malformed=0 j started recovery="-" verdict=FAIL pass=0 t0 fault_ms=0 progress="-"
  chaos_cluster && chaos_cluster_fresh
  drill_setup "$name"
  local where=""
  chaos_cluster && where=" on the local Flink cluster"
  log "==== drill ${name}${where} (jobs $(drill_jobs), topics ${DRILL_PREFIX}-*, database ${DRILL_DB})"
  [[ "$name" == malformed ]] && malformed=100
  FAULT_DESC="none (bad records in the input)"
  FAULT_REPAIRED_MS=0
  t0=$SECONDS
  local failed=""
  if chaos_has_job notifier; then
    chaos_driver receiver --port "$CHAOS_RECEIVER_PORT" --log "${DRILL_DIR}/receiver.log" \
      >>"${DRILL_DIR}/receiver.out" 2>&1 &
    DRILL_PIDS+=("$!")
  fi
  for j in $(drill_jobs); do
    start_job "$j" || { failed="$j could not be started"; break; }
  done
  [[ -n "$failed" ]] || await_running 600 || failed="the jobs did not start"
  started="$(chaos_now_ms)"
  if [[ -n "$failed" ]]; then
    echo "FAIL: drill ${name}: ${failed}"
    drill_teardown 0
    return 1
  fi
  (chaos_driver produce --bootstrap "$(chaos_bootstrap)" --jsonl "${CHAOS_INPUT}/events.jsonl" \
    --tickets-topic "$T_TICKETS" --leads-topic "$T_LEADS" --duration "${CHAOS_DURATION}s" \
    --malformed-every "$malformed" --summary "${DRILL_DIR}/produced.json" \
    >>"${DRILL_DIR}/producer.log" 2>&1) &
  local producer=$!
  DRILL_PIDS+=("$producer")
  if [[ -z "$failed" && "$name" != malformed ]]; then
    # The failure, mid-run: at --fault-at of the input's pacing.
    sleep "$(awk -v d="$CHAOS_DURATION" -v f="$CHAOS_FAULT_AT" 'BEGIN { print d * f }')"
    if chaos_has_job hotspot; then
      progress="$(chaos_driver lag --bootstrap "$(chaos_bootstrap)" --group "${DRILL_PREFIX}-hotspot" \
        --topics "${T_TICKETS},${T_LEADS}" 2>/dev/null || true)"
    fi
    fault_ms="$(chaos_now_ms)"
    FAULT_START_MS="$fault_ms"
    case "$name" in
      kill-tm) fault_kill_tm ;;
      clickhouse-outage) fault_clickhouse_outage ;;
      kafka-restart) fault_kafka_restart ;;
    esac
    if recovery="$(await_recovered "$FAULT_REPAIRED_MS")"; then
      log "jobs recovered ${recovery} s after the failure was undone"
    else
      recovery="never"
      failed="the jobs did not recover by themselves"
    fi
  fi
  wait "$producer" || failed="${failed:-the producer failed (see ${DRILL_DIR}/producer.log)}"
  # End of the run: inputs consumed, then drained (alerts before the notifier that reads them).
  if [[ -z "$failed" ]]; then
    for j in hotspot alerts; do
      chaos_has_job "$j" || continue
      await_caught_up "$j" "${T_TICKETS},${T_LEADS}" || failed="$j did not consume its input"
    done
  fi
  local restarts=""
  for j in $(drill_jobs); do
    restarts+="${j}:$(job_restarts "$j") "
  done
  CLUSTER_RESTORES=""
  chaos_cluster && record_cluster_history
  if [[ -z "$failed" ]]; then
    for j in hotspot alerts; do
      chaos_has_job "$j" || continue
      stop_drain "$j" || failed="$j could not be drained"
    done
  fi
  if [[ -z "$failed" ]] && chaos_has_job notifier; then
    await_caught_up notifier "$T_ALERTS" && stop_drain notifier || failed="the notifier did not finish"
  fi
  log "checking every table against the oracle ..."
  local check_rc=0
  (chaos_driver check --bootstrap "$(chaos_bootstrap)" --jsonl "${CHAOS_INPUT}/events.jsonl" \
    --summary "${DRILL_DIR}/produced.json" --clickhouse-url "$(chaos_clickhouse)" \
    --clickhouse-database "$DRILL_DB" --jobs "$CHAOS_JOBS" --tickets-topic "$T_TICKETS" \
    --leads-topic "$T_LEADS" --alerts-topic "$T_ALERTS" --dead-letter-topic "$T_DEAD" \
    --failures-topic "$T_FAILURES" --receiver-log "${DRILL_DIR}/receiver.log" \
    --surge-category WATER --surge-start "$(date -d "${CHAOS_SURGE_START}:00+08:00" +%s)000" \
    --wait 60s --json "${DRILL_DIR}/check.json") | tee "${DRILL_DIR}/check.txt" || check_rc=$?
  if [[ -z "$failed" && "$check_rc" == 0 ]]; then
    verdict=PASS
    pass=1
  fi
  local wall=$((SECONDS - t0))
  jq -n --arg drill "$name" --arg verdict "$verdict" --arg fault "$FAULT_DESC" \
    --argjson cluster "$(chaos_cluster && echo true || echo false)" --arg restores "$CLUSTER_RESTORES" \
    --arg recovery "$recovery" --arg progress "$progress" --arg failed "$failed" \
    --arg restarts "$restarts" --argjson wall "$wall" --argjson faultAt "$fault_ms" \
    --argjson started "$started" --slurpfile check "${DRILL_DIR}/check.json" \
    '{drill: $drill, cluster: $cluster, clusterRestores: $restores, verdict: $verdict, fault: $fault, recoverySeconds: $recovery,
      hotspotCommittedAtFault: $progress, failure: $failed, restartsInLogs: $restarts,
      wallSeconds: $wall, faultAtMs: $faultAt, startedMs: $started, check: $check[0]}' \
    >"${DRILL_DIR}/drill.json" 2>/dev/null || echo '{}' >"${DRILL_DIR}/drill.json"
  echo "${verdict}: drill ${name}${where}; fault: ${FAULT_DESC}; recovered in ${recovery} s; failures the running job recovered from (Flink exception history) ${restarts}; hotspot input committed at the fault (committed/end): ${progress}; wall ${wall} s${failed:+; ${failed}}"
  if [[ "$pass" != 1 ]] && chaos_cluster; then
    log "the jobs' logs are the cluster's: ${FLINK_CLUSTER_LOG#"$CITYPULSE_ROOT"/} (jobmanager.log, taskmanager-N.log)"
  fi
  drill_teardown "$pass"
  [[ "$pass" == 1 ]]
}

write_summary() {
  local d f
  mkdir -p "$(dirname "$CHAOS_REPORT")"
  {
    echo "# Failure drills ($(date -u '+%F %H:%M UTC'))"
    echo
    local where="each in its own embedded Flink"
    chaos_cluster && where="on the local standalone Flink cluster (parallelism ${CHAOS_CLUSTER_PARALLELISM})"
    echo "Input: seed ${CHAOS_SEED}, ${CHAOS_DAYS} days from ${CHAOS_START}, scale ${CHAOS_SCALE}, WATER x6 surge, 1% redeliveries; paced over ${CHAOS_DURATION} s; jobs ${CHAOS_JOBS}, ${where}."
    echo
    echo "| drill | result | failure | recovery | counts (table/oracle, differing) | dead letters | alerts (episodes, bad OPENED, overlaps, CH wrong) | notifications (processed/records, twice, repeats dropped) |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for d in "$@"; do
      f="${CHAOS_DIR}/${d}/drill.json"
      [[ -s "$f" ]] || { echo "| $d | not run | | | | | | |"; continue; }
      jq -r '
        def sec(n): (.check.sections // []) | map(select(.name == n)) | .[0].figures // {};
        "| \(.drill)\(if .cluster then " (cluster)" else "" end) | **\(.verdict)** | \(.fault) | \(.recoverySeconds) s | "
        + (sec("counts") as $c | if $c == {} then "-" else "\($c.tableEntries)/\($c.oracleEntries) entries, \($c.differingEntries) differ (missing \($c.missingCounts), extra \($c.extraCounts))" end) + " | "
        + (sec("rejected_events") as $r | if $r == {} then "-" else "\($r.actual)" end) + " | "
        + (sec("alerts") as $a | if $a == {} then "-" else "\($a.episodes), \($a.episodesWithoutExactlyOneOpened), \($a.overlappingEpisodesPerKey), \($a.clickhouseRowsWrong)" end) + " | "
        + (sec("notifications") as $n | if $n == {} then "-" else "\($n.processedOnce)/\($n.alertRecords), \($n.processedTwice), \($n.repeatsDropped)" end) + " |"' "$f"
    done
  } >"$CHAOS_REPORT"
  if [[ -n "$CHAOS_JSON" ]]; then
    local files=()
    for d in "$@"; do
      [[ -s "${CHAOS_DIR}/${d}/drill.json" ]] && files+=("${CHAOS_DIR}/${d}/drill.json")
    done
    jq -s '{drills: ., pass: (length > 0 and all(.verdict == "PASS"))}' "${files[@]}" >"$CHAOS_JSON"
  fi
  log "summary: ${CHAOS_REPORT#"$CITYPULSE_ROOT"/}${CHAOS_JSON:+, $CHAOS_JSON}"
  cat "$CHAOS_REPORT"
}
