# shellcheck shell=bash
# Long steps (npm ci, apt-get, the first Maven download) run quietly into a log, with one line every
# PROGRESS_EVERY seconds (default 15) saying what is still running and for how long; on failure the
# log's tail is shown. Sourced, never run.

# run_with_progress <label> <log file> <detail function or ''> <command...>
# The detail function, when given, is called with the log file and prints a few words appended to each
# progress line (e.g. "81 files downloaded").
run_with_progress() {
  local label=$1 log_file=$2 detail_command=$3
  shift 3
  local every=${PROGRESS_EVERY:-15} start=$SECONDS pid status=0 next detail
  "$@" >"$log_file" 2>&1 </dev/null &
  pid=$!
  next=$((SECONDS + every))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= next)); then
      detail=''
      [[ -n $detail_command ]] && detail=$("$detail_command" "$log_file" 2>/dev/null || true)
      printf '%s: still running (%d s%s)\n' "$label" $((SECONDS - start)) "${detail:+, $detail}"
      next=$((SECONDS + every))
    fi
    sleep 0.2
  done
  wait "$pid" || status=$?
  if ((status != 0)); then
    printf '%s: failed (exit %d after %d s); last lines of %s:\n' "$label" "$status" $((SECONDS - start)) "$log_file" >&2
    tail -n 30 "$log_file" >&2
  fi
  return "$status"
}
