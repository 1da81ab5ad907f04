# Sourced by the bench scripts: installing what a bench needs, free ports on loopback, and wrk's
# results as numbers. Expects $work (a scratch folder) and the array pids (processes to stop).

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
