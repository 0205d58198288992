# shellcheck shell=bash
# The schema registry: Apicurio Registry with its Confluent-compatible API (/apis/ccompat/v7), keeping
# its schemas in Kafka (KafkaSQL storage: topic kafkasql-journal). Sourced by scripts/services after
# common.sh and kafka.sh. Why Apicurio and not Karapace: see scripts/schema-registry/pom.xml.

REGISTRY_POM="$SERVICES_ROOT/scripts/schema-registry/pom.xml"
SCHEMA_REGISTRY_PORT=${SCHEMA_REGISTRY_PORT:-8081}
REGISTRY_STATE="$STATE_DIR/registry"
REGISTRY_PID_FILE="$REGISTRY_STATE/registry.pid"
REGISTRY_MARKER="-Demotion-stream.service=$REGISTRY_STATE"
REGISTRY_LOCAL_URL="http://127.0.0.1:$SCHEMA_REGISTRY_PORT/apis/ccompat/v7"

registry_version() { pom_property "$REGISTRY_POM" apicurio.version; }
registry_cache() { printf '%s/apicurio-registry-%s-%s' "$CACHE_DIR" "$(registry_version)" "$(short_hash "$REGISTRY_POM")"; }

registry_url() {
  if [[ -n ${SCHEMA_REGISTRY_URL:-} ]]; then
    printf '%s' "$SCHEMA_REGISTRY_URL"
  elif running_pid "$REGISTRY_PID_FILE" "$REGISTRY_MARKER" >/dev/null && [[ -s $REGISTRY_STATE/url ]]; then
    cat "$REGISTRY_STATE/url"
  else
    printf '%s' "$REGISTRY_LOCAL_URL"
  fi
}

# registry_probe <base url>: GET <base>/subjects answers 200.
registry_probe() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "${1%/}/subjects" 2>/dev/null) || return 1
  [[ $code == 200 ]]
}

# Maven fetches the distribution archive; it is unpacked once, next to it, with the system tar.
registry_install() {
  local cache=$1 label=$2
  [[ -e $cache/dist/.complete ]] && return 0
  resolve_with_maven "$REGISTRY_POM" "$cache/download" "$label" dependency:copy
  local archive work="$cache/dist.partial.$$"
  archive=$(find "$cache/download" -maxdepth 1 -name '*.tar.gz' | head -n 1)
  [[ -n $archive ]] || die "no registry archive in $(pretty_path "$cache/download")"
  rm -rf "$work" && mkdir -p "$work"
  tar -xzf "$archive" -C "$work" || die "could not unpack $(pretty_path "$archive")"
  rm -rf "$cache/dist"
  mv "$work" "$cache/dist"
  touch "$cache/dist/.complete"
  # The archive stays in Maven's local repository; a second copy here is 100 MB for nothing.
  rm -rf "$cache/download"
}

registry_runner_jar() {
  local dist=$1 jar
  for jar in "$dist/quarkus-run.jar" "$dist"/*-runner.jar; do
    [[ -f $jar ]] && printf '%s' "$jar" && return 0
  done
  die "no runnable jar in $(pretty_path "$dist")"
}

registry_external() { [[ -n ${SCHEMA_REGISTRY_URL:-} && $SCHEMA_REGISTRY_URL != "$REGISTRY_LOCAL_URL" ]]; }

registry_preflight() {
  require_program curl "apt-get install -y curl"
  registry_external && return 0
  running_pid "$REGISTRY_PID_FILE" "$REGISTRY_MARKER" >/dev/null && return 0
  require_java
  [[ -e $(registry_cache)/dist/.complete ]] || require_program mvn "apt-get install -y maven"
}

registry_up() {
  local pid
  if registry_external; then
    registry_probe "$SCHEMA_REGISTRY_URL" || die "SCHEMA_REGISTRY_URL=$SCHEMA_REGISTRY_URL is set but GET /subjects does not answer 200 there — start it, or unset SCHEMA_REGISTRY_URL to run a local one"
    say "registry: using SCHEMA_REGISTRY_URL=$SCHEMA_REGISTRY_URL (not started here)"
    return 0
  fi
  if pid=$(running_pid "$REGISTRY_PID_FILE" "$REGISTRY_MARKER"); then
    say "registry: already running on $REGISTRY_LOCAL_URL (pid $pid)"
    return 0
  fi
  if registry_probe "$REGISTRY_LOCAL_URL"; then
    say "registry: a registry not started by this checkout already answers on $REGISTRY_LOCAL_URL — using it"
    return 0
  fi
  port_in_use "$SCHEMA_REGISTRY_PORT" && die "port $SCHEMA_REGISTRY_PORT is in use by another program (not a schema registry) — free it, or set SCHEMA_REGISTRY_PORT"

  local kafka_brokers
  kafka_brokers=$(kafka_address)
  kafka_probe "$kafka_brokers" || die "the schema registry keeps its schemas in Kafka, and no broker answers on $kafka_brokers — run: scripts/services up kafka"
  local version cache jar
  version=$(registry_version)
  cache=$(registry_cache)
  registry_install "$cache" "registry (Apicurio $version)"
  jar=$(registry_runner_jar "$cache/dist")
  mkdir -p "$REGISTRY_STATE"

  local start cds
  start=$(date +%s%N)
  cds=$(jvm_cds_options "$cache" registry "$REGISTRY_STATE")
  say "registry: starting Apicurio Registry $version on $REGISTRY_LOCAL_URL, schemas in Kafka $kafka_brokers (log: $(pretty_path "$REGISTRY_STATE/registry.log"))"
  # Run from the state folder so anything the app writes lands there. C1 only and a class-data archive:
  # see common.sh and kafka.sh (-Xlog: the archive lists every class it cannot hold, thousands of lines).
  # The admin timeouts: its topic creation gives up after one 30 s try on a busy 2-core machine.
  # Global rules as on a Confluent registry: BACKWARD compatibility, and malformed schemas refused.
  # (Prefix-collected settings such as these are read from system properties, not env variables.)
  (
    cd "$REGISTRY_STATE" || exit 1
    launch_detached "$REGISTRY_PID_FILE" "$REGISTRY_STATE/registry.log" \
      env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$SCHEMA_REGISTRY_PORT" \
      QUARKUS_LOG_CONSOLE_COLOR=false QUARKUS_CONSOLE_COLOR=false \
      APICURIO_STORAGE_KIND=kafkasql APICURIO_KAFKASQL_BOOTSTRAP_SERVERS="$kafka_brokers" \
      "$JAVA_BIN" -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
      "$cds" -Xlog:cds=off,cds+dynamic=off "$REGISTRY_MARKER" \
      -Dapicurio.kafkasql.admin.request.timeout.ms=120000 -Dapicurio.kafkasql.admin.default.api.timeout.ms=180000 \
      -Dapicurio.rules.global.compatibility="${SCHEMA_REGISTRY_COMPATIBILITY:-BACKWARD}" \
      -Dapicurio.rules.global.validity=SYNTAX_ONLY \
      -jar "$jar"
  )
  pid=$(pid_from_file "$REGISTRY_PID_FILE")
  if ! wait_ready registry "$pid" "${SCHEMA_REGISTRY_START_TIMEOUT:-240}" "$REGISTRY_STATE/registry.log" registry_probe "$REGISTRY_LOCAL_URL"; then
    registry_down TERM >/dev/null
    return 1
  fi
  printf '%s\n' "$REGISTRY_LOCAL_URL" >"$REGISTRY_STATE/url"
  say "registry: ready on $REGISTRY_LOCAL_URL in $(elapsed_since "$start") s (pid $pid)"
}

registry_down() {
  local signal=${1:-TERM} pid grace=30
  if ! pid=$(running_pid "$REGISTRY_PID_FILE" "$REGISTRY_MARKER"); then
    finish_cds_archive "$REGISTRY_STATE" discard
    say "registry: not running here (nothing to stop)"
    return 0
  fi
  cds_pending "$REGISTRY_STATE" && grace=90
  if stop_pid registry "$pid" "$REGISTRY_MARKER" "$grace" "$signal"; then
    finish_cds_archive "$REGISTRY_STATE" keep
  else
    finish_cds_archive "$REGISTRY_STATE" discard
  fi
  rm -f "$REGISTRY_PID_FILE"
}

registry_status() {
  local url pid
  if registry_external; then
    if registry_probe "$SCHEMA_REGISTRY_URL"; then
      say "registry  up        $SCHEMA_REGISTRY_URL  (SCHEMA_REGISTRY_URL, not started here)"
      return 0
    fi
    say "registry  down      $SCHEMA_REGISTRY_URL  (SCHEMA_REGISTRY_URL)"
    return 1
  fi
  url=$(registry_url)
  if pid=$(running_pid "$REGISTRY_PID_FILE" "$REGISTRY_MARKER"); then
    if registry_probe "$url"; then
      say "registry  up        $url  (pid $pid, Apicurio Registry $(registry_version), log $(pretty_path "$REGISTRY_STATE/registry.log"))"
      return 0
    fi
    say "registry  starting  $url  (pid $pid, GET /subjects not 200 yet)"
    return 1
  fi
  if registry_probe "$url"; then
    say "registry  up        $url  (not started by this checkout)"
    return 0
  fi
  say "registry  down      $url"
  return 1
}

registry_purge() { rm -rf "$REGISTRY_STATE"; }
