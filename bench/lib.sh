# Sourced by the bench scripts: installing what a bench needs, a scratch folder whose processes stop
# with the script, free ports on loopback, and wrk's results as numbers.

install_missing() { # package names whose command is missing: "command:package" ...
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} ..."
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  fi
}

work_folder() { # name: sets $work (a new scratch folder) and pids (processes to stop); both go when the script ends
  work=$(mktemp -d "/tmp/edgegate-$1.XXXXXX")
  pids=()
  trap stop_work EXIT
}
before_stop() { # overridden by a bench with more to stop (e.g. a local cluster)
  :
}
stop_work() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  before_stop
  wait 2>/dev/null || true
  rm -rf "$work"
}

port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }
next_port=$((20000 + RANDOM % 20000))
take_port() { # variable name: set to the next port free on 127.0.0.1 and 127.0.0.2 (not in a subshell, so the counter moves on)
  while port_open "$next_port" || port_open "$next_port" 127.0.0.2; do next_port=$((next_port + 1)); done
  printf -v "$1" '%s' "$next_port"
  next_port=$((next_port + 1))
}
wait_port() { # port, seconds[, address]
  local deadline=$((SECONDS + $2))
  until port_open "$1" "${3:-127.0.0.1}"; do
    [ $SECONDS -lt $deadline ] || { echo "nothing listens on port $1; logs in $work" >&2; exit 1; }
    sleep 0.2
  done
}

# wrk prints latencies as 1.23ms / 456.78us / 1.02s: normalise to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

wrk_result() { # wrk --latency output on stdin -> "rps p99ms errors"
  local out rps p99 errors
  out=$(cat)
  rps=$(echo "$out" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
  errors=$(echo "$out" | awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')
  echo "$rps $p99 $errors"
}
