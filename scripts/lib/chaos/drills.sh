# The failure drills behind scripts/chaos. Source common.sh and stack.sh first. Do not run it.
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
  DRILL="$name"
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
  if [[ "$pass" == 1 && "$CHAOS_KEEP" != 1 ]]; then
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(chaos_bootstrap)" --delete \
      --topic "${DRILL_PREFIX}-.*" >/dev/null 2>&1 || true
    node "$CLICKHOUSE_CLI" query "DROP DATABASE IF EXISTS ${DRILL_DB}" --url "$(chaos_clickhouse)" >/dev/null 2>&1 || true
    rm -rf "${DRILL_DIR}"/cp-* "${DRILL_DIR}"/sp-*
  fi
}

# Starts a job unbounded in its own embedded Flink (scripts/run), in the background.
# start_job JOB [extra args...]; the pid goes to DRILL_DIR/JOB.pid.
start_job() {
  local job="$1"
  shift
  local args=(--bootstrap "$(chaos_bootstrap)" --dead-letter-topic "$T_DEAD"
    --group-id "${DRILL_PREFIX}-${job}"
    "-Drest.port=$(chaos_rest_port "$job")" "-Drest.bind-address=127.0.0.1"
    "-Dexecution.checkpointing.dir=file://${DRILL_DIR}/cp-${job}"
    "-Dexecution.checkpointing.externalized-checkpoint-retention=RETAIN_ON_CANCELLATION")
  case "$job" in
    hotspot) args+=(--clickhouse-url "$(chaos_clickhouse)" --clickhouse-database "$DRILL_DB"
      --idleness "$CHAOS_IDLENESS" --tickets-topic "$T_TICKETS" --leads-topic "$T_LEADS") ;;
    alerts) args+=(--clickhouse-url "$(chaos_clickhouse)" --clickhouse-database "$DRILL_DB"
      --idleness "$CHAOS_IDLENESS" --tickets-topic "$T_TICKETS" --leads-topic "$T_LEADS" --alerts-topic "$T_ALERTS" --warmup 1d) ;;
    notifier) args+=(--alerts-topic "$T_ALERTS" --deliveries-topic "$T_DELIVERIES"
      --failures-topic "$T_FAILURES" --subscriptions "${DRILL_DIR}/subscriptions.yaml") ;;
  esac
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

rest() { curl -sf --max-time 5 "http://127.0.0.1:$(chaos_rest_port "$1")$2"; }

# The id of the job's current (non-terminal) run, empty when none answers.
job_id() {
  rest "$1" /jobs/overview 2>/dev/null \
    | jq -r '[.jobs[] | select(.state != "FINISHED" and .state != "CANCELED")][0].jid // empty' 2>/dev/null || true
}

job_state() {
  rest "$1" /jobs/overview 2>/dev/null | jq -r '[.jobs[]][0].state // empty' 2>/dev/null || true
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
      if [[ "$state" == FAILED ]] || ! kill -0 "$(cat "${DRILL_DIR}/${j}.pid")" 2>/dev/null; then
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
    if ! kill -0 "$(cat "${DRILL_DIR}/${job}.pid")" 2>/dev/null; then
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
  local job="$1" jid pid deadline
  jid="$(job_id "$job")"
  pid="$(cat "${DRILL_DIR}/${job}.pid")"
  if [[ -z "$jid" ]]; then
    log "$job: no running job to stop"
    return 1
  fi
  curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' \
    -d "{\"drain\": true, \"targetDirectory\": \"file://${DRILL_DIR}/sp-${job}\"}" \
    "http://127.0.0.1:$(chaos_rest_port "$job")/jobs/${jid}/stop" >/dev/null \
    || { log "$job: stop --drain was refused"; return 1; }
  deadline=$((SECONDS + 300))
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
  drill_setup "$name"
  log "==== drill ${name} (jobs $(drill_jobs), topics ${DRILL_PREFIX}-*, database ${DRILL_DB})"
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
  for j in $(drill_jobs); do start_job "$j"; done
  await_running 600 || failed="the jobs did not start"
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
    --arg recovery "$recovery" --arg progress "$progress" --arg failed "$failed" \
    --arg restarts "$restarts" --argjson wall "$wall" --argjson faultAt "$fault_ms" \
    --argjson started "$started" --slurpfile check "${DRILL_DIR}/check.json" \
    '{drill: $drill, verdict: $verdict, fault: $fault, recoverySeconds: $recovery,
      hotspotCommittedAtFault: $progress, failure: $failed, restartsInLogs: $restarts,
      wallSeconds: $wall, faultAtMs: $faultAt, startedMs: $started, check: $check[0]}' \
    >"${DRILL_DIR}/drill.json" 2>/dev/null || echo '{}' >"${DRILL_DIR}/drill.json"
  echo "${verdict}: drill ${name}; fault: ${FAULT_DESC}; recovered in ${recovery} s; failures the running job recovered from (Flink exception history) ${restarts}; hotspot input committed at the fault (committed/end): ${progress}; wall ${wall} s${failed:+; ${failed}}"
  drill_teardown "$pass"
  [[ "$pass" == 1 ]]
}

write_summary() {
  local d f
  mkdir -p "$(dirname "$CHAOS_REPORT")"
  {
    echo "# Failure drills ($(date -u '+%F %H:%M UTC'))"
    echo
    echo "Input: seed ${CHAOS_SEED}, ${CHAOS_DAYS} days from ${CHAOS_START}, scale ${CHAOS_SCALE}, WATER x6 surge, 1% redeliveries; paced over ${CHAOS_DURATION} s; jobs ${CHAOS_JOBS}."
    echo
    echo "| drill | result | failure | recovery | counts (table/oracle, differing) | dead letters | alerts (episodes, bad OPENED, overlaps, CH wrong) | notifications (processed/records, twice, repeats dropped) |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for d in "$@"; do
      f="${CHAOS_DIR}/${d}/drill.json"
      [[ -s "$f" ]] || { echo "| $d | not run | | | | | | |"; continue; }
      jq -r '
        def sec(n): (.check.sections // []) | map(select(.name == n)) | .[0].figures // {};
        "| \(.drill) | **\(.verdict)** | \(.fault) | \(.recoverySeconds) s | "
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
