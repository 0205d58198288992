# shellcheck shell=bash disable=SC2034 # variables here are used by the files that source this one
# Shared helpers for scripts/services: paths, messages, pid files, waiting, JVM class-data archives.
# Sourced, never run. Every service file (kafka.sh, redis.sh, registry.sh) builds on these.

SERVICES_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=lib/progress.sh
source "$SERVICES_ROOT/scripts/lib/progress.sh"
STATE_DIR="$SERVICES_ROOT/.services"
# Downloads (Kafka jars, the registry) live outside the repo so fresh clones and later runs reuse them.
CACHE_DIR=${EMOTION_STREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/emotion-stream}
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { printf '%s\n' "$*"; }
warn() { printf 'emotion-stream services: %s\n' "$*" >&2; }
die() {
  warn "$*"
  exit 1
}

# Shown relative to the repo root when possible: shorter, and what a developer types.
pretty_path() {
  local path=$1
  case $path in
    "$SERVICES_ROOT"/*) printf '%s' "${path#"$SERVICES_ROOT"/}" ;;
    "$HOME"/*) printf '%s/%s' '~' "${path#"$HOME"/}" ;;
    *) printf '%s' "$path" ;;
  esac
}

# require_program <program> <how to install it>
require_program() {
  local program=$1 install_hint=$2
  command -v "$program" >/dev/null 2>&1 || die "$program not found — install it: $install_hint"
}

require_java() {
  require_program "$JAVA_BIN" "apt-get install -y openjdk-17-jre-headless (Java 17 or newer)"
  local version_line major
  version_line=$("$JAVA_BIN" -version 2>&1 | head -n 1)
  major=$(sed -E 's/.*version "([0-9]+)(\.[0-9]+)?.*/\1/' <<<"$version_line")
  if [[ $major == 1 || ! $major =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "Java 17 or newer is needed, found: $version_line — install it: apt-get install -y openjdk-17-jre-headless"
  fi
}

short_hash() { sha256sum "$@" | sha256sum | cut -c1-12; }

# Reads <name>value</name> from a pom's <properties>.
pom_property() {
  local pom=$1 name=$2
  sed -n -E "s:.*<$name>([^<]+)</$name>.*:\\1:p" "$pom" | head -n 1
}

elapsed_since() {
  local start=$1 now
  now=$(date +%s%N)
  printf '%d.%d' $(((now - start) / 1000000000)) $(((now - start) / 100000000 % 10))
}

# --- pid files --------------------------------------------------------------------------------------
# A pid file only counts while its process is alive AND its command line still contains the marker
# (a path under .services/), so a recycled pid never makes us report or kill a stranger.

pid_from_file() {
  local pid_file=$1
  [[ -s $pid_file ]] || return 1
  local pid
  pid=$(tr -dc '0-9' <"$pid_file")
  [[ -n $pid ]] || return 1
  printf '%s' "$pid"
}

# process_running <pid>: exists and is not a zombie (an exited child that nobody has reaped yet
# still answers kill -0; here init reaps orphans late).
process_running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ -n $stat && ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

# pid_alive <pid> <marker>
pid_alive() {
  local pid=$1 marker=$2
  process_running "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# running_pid <pid file> <marker>: prints the pid when our process runs, else fails (and drops a stale file).
running_pid() {
  local pid_file=$1 marker=$2 pid
  pid=$(pid_from_file "$pid_file") || return 1
  if pid_alive "$pid" "$marker"; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$pid_file"
  return 1
}

# stop_pid <label> <pid> <marker> <grace seconds> [signal]: TERM (or the given signal), wait, then KILL.
# Fails (status 3) when the process did not exit by itself: killed on request or after the grace time.
stop_pid() {
  local label=$1 pid=$2 marker=$3 grace=$4 signal=${5:-TERM}
  local start deadline clean=0
  start=$(date +%s%N)
  kill "-$signal" "$pid" 2>/dev/null || return 3
  [[ $signal == KILL ]] && clean=3
  deadline=$((SECONDS + grace))
  while pid_alive "$pid" "$marker"; do
    if ((SECONDS >= deadline)); then
      warn "$label (pid $pid) did not stop within ${grace} s — sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      local tries=0
      while process_running "$pid" && ((tries++ < 100)); do sleep 0.1; done
      clean=3
      break
    fi
    sleep 0.2
  done
  if ((clean == 0)); then
    say "$label: stopped (pid $pid, $(elapsed_since "$start") s)"
  else
    say "$label: killed (pid $pid, $(elapsed_since "$start") s)"
  fi
  return "$clean"
}

# Launches a command detached from this shell's session and terminal; it writes its own pid file
# before exec so the pid is the program's, not a wrapper's. stdin is closed and fd 9 (our lock) is
# not inherited, so callers such as jest's spawnSync return at once and later runs can take the lock.
launch_detached() {
  local pid_file=$1 out_file=$2
  shift 2
  rm -f "$pid_file"
  # shellcheck disable=SC2016 # $$ and $0 are expanded by the inner shell on purpose.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pid_file" "$@" </dev/null >>"$out_file" 2>&1 9>&- &
  local tries=0
  until [[ -s $pid_file ]]; do
    ((tries++ < 50)) || die "could not start: $*"
    sleep 0.05
  done
}

# wait_ready <label> <pid> <timeout s> <log file> <probe command...>
# Polls the probe until it succeeds; fails early (with the log's tail) when the process dies.
wait_ready() {
  local label=$1 pid=$2 timeout=$3 log_file=$4
  shift 4
  local deadline=$((SECONDS + timeout)) next_note=$((SECONDS + 10))
  until "$@" >/dev/null 2>&1; do
    if ! process_running "$pid"; then
      warn "$label exited during startup; last lines of $(pretty_path "$log_file"):"
      tail -n 25 "$log_file" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      warn "$label not ready after ${timeout} s; last lines of $(pretty_path "$log_file"):"
      tail -n 25 "$log_file" >&2 || true
      return 1
    fi
    if ((SECONDS >= next_note)); then
      say "$label: still starting ($((timeout - (deadline - SECONDS))) s)…"
      next_note=$((SECONDS + 10))
    fi
    sleep 0.3
  done
  # Another program may have taken the port meanwhile and answered the probe in our place.
  if ! process_running "$pid"; then
    warn "$label exited during startup while something else answers on its port; last lines of $(pretty_path "$log_file"):"
    tail -n 25 "$log_file" >&2 || true
    return 1
  fi
}

# port_in_use <port>: something accepts TCP connections on 127.0.0.1:<port>.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --- JVM class-data sharing ---------------------------------------------------------------------------
# On 2 cores most of a JVM service's startup is class loading. The first run records the classes it
# loaded into an archive (written when it exits normally); later runs map that archive and start in
# about a third of the time. The archive sits in the cache beside the jars, keyed on the java binary.

# jvm_cds_options <cache folder> <name> <service state folder>: prints one JVM option.
jvm_cds_options() {
  local cache=$1 name=$2 state=$3 java_key archive
  java_key=$(readlink -f "$(command -v "$JAVA_BIN")" | sha256sum | cut -c1-8)
  archive="$cache/$name-$java_key.jsa"
  finish_cds_archive "$state" discard
  if [[ -s $archive ]]; then
    printf '%s' "-XX:SharedArchiveFile=$archive"
  else
    local pending="$archive.tmp.$$"
    printf '%s\n' "$pending" >"$state/cds-pending"
    printf '%s' "-XX:ArchiveClassesAtExit=$pending"
  fi
}

# finish_cds_archive <state folder> keep|discard — after the JVM has exited. Keep the archive only when
# the JVM stopped by itself after SIGTERM (it writes the file at exit; a killed one may leave half a file).
finish_cds_archive() {
  local state=$1 outcome=$2 pending
  [[ -s $state/cds-pending ]] || return 0
  pending=$(<"$state/cds-pending")
  rm -f "$state/cds-pending"
  if [[ $outcome == keep && -s $pending ]]; then
    mv -f "$pending" "${pending%.tmp.*}"
  else
    rm -f "$pending"
  fi
}

cds_pending() { [[ -s $1/cds-pending ]]; }

# maven_downloads <maven log>: how far a running resolve has come (batch mode logs one line per file).
maven_downloads() { printf '%s files downloaded' "$(grep -c '^\[INFO\] Downloaded from' "$1")"; }

# resolve_with_maven <pom> <target folder> <label> <maven goal and options...>
# Runs Maven on a copy of the pom (so no target/ appears in the repo) and moves the result into place
# only when it is complete, under a lock shared by every clone that uses the same cache.
resolve_with_maven() {
  local pom=$1 target=$2 label=$3
  shift 3
  [[ -e $target/.complete ]] && return 0
  require_program mvn "apt-get install -y maven"
  mkdir -p "$CACHE_DIR"
  (
    flock -w 900 8 || die "timed out waiting for another run resolving $label"
    [[ -e $target/.complete ]] && exit 0
    local work="$target.partial.$$" start
    start=$(date +%s%N)
    say "$label: downloading from Maven Central into $(pretty_path "$target") (first run only)…"
    rm -rf "$work" && mkdir -p "$work/build"
    cp "$pom" "$work/build/pom.xml"
    # A progress line every 15 s with the number of files fetched so far (the cold run takes minutes).
    if ! run_with_progress "$label: Maven" "$work/maven.log" maven_downloads \
      mvn -B -f "$work/build/pom.xml" "$@" -DoutputDirectory="$work/out"; then
      warn "Maven could not resolve $label (see above)"
      rm -rf "$work"
      exit 1
    fi
    rm -rf "$target"
    mv "$work/out" "$target"
    rm -rf "$work"
    touch "$target/.complete"
    say "$label: downloaded in $(elapsed_since "$start") s"
  ) 8>"$CACHE_DIR/.resolve.lock"
}
