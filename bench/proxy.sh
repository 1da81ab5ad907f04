#!/usr/bin/env bash
# bench/proxy: EdgeGate against NGINX as a reverse proxy, same machine, same upstream, same run.
# Starts an upstream (an NGINX serving 1 KB and 16 KB files), an NGINX proxy (keep-alive to the
# upstream, one worker per core) and an EdgeGate data plane (one event loop per core, config
# applied through a real control plane), warms both up, then drives each with wrk (HTTP/1.1
# keep-alive) and h2load (HTTP/2 cleartext, prior knowledge) and prints requests/s, p99 and the
# EdgeGate/NGINX ratios. The EdgeGate under test runs with all three signals on (metrics scraped
# every 5 s, the JSON access log, tracing at 1 % to an OTLP sink); a second data plane with all
# three off serves the same config on 127.0.0.2, and a second table compares the two: half of its
# pairs there, half on two new nodes with the addresses swapped.
# Installs nginx-light, wrk, nghttp2-client, curl and etcd when missing.
#
#   bench/proxy.sh [--duration SECONDS] [--connections N] [--profile] [--aa]
#
# --profile records a JFR profile of the first data plane (up to the swap) and prints its hottest frames.
# --aa runs the signals-on nodes with the signals off too: the second table then compares
# identical nodes, and shows what the comparison reads when there is nothing to find.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
duration=15
connections=64
profile=false
aa=false
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --profile) profile=true; shift ;;
    --aa) aa=true; shift ;;
    *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

. "$root/bench/lib.sh"
install_missing nginx:nginx-light wrk:wrk h2load:nghttp2-client curl:curl
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
"$root/deploy/ensure-etcd.sh"
if [ ! -f "$root/data-plane/target/data-plane.jar" ] || [ ! -f "$root/control-plane/target/control-plane.jar" ] \
    || [ ! -f "$root/egctl/target/egctl.jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests package)
fi

cores=$(nproc)
work_folder bench

take_port upstream_port; take_port nginx_port; take_port nginx_h2_port
take_port edgegate_port; take_port control_port; take_port admin_port; take_port quiet_admin_port

mkdir -p "$work/www" "$work/upstream" "$work/proxy" "$work/logs"
head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 >"$work/www/1k"
head -c 16384 /dev/urandom | base64 -w0 | head -c 16384 >"$work/www/16k"
# NGINX workers run as an unprivileged user: let them read the files.
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/1k" "$work/www/16k"

nginx_common="pid PIDFILE; error_log ERRLOG warn; events { worker_connections 4096; }"
cat >"$work/upstream/nginx.conf" <<EOF
${nginx_common//PIDFILE/$work/upstream/nginx.pid}
worker_processes 1;
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path $work/upstream; proxy_temp_path $work/upstream;
  fastcgi_temp_path $work/upstream; uwsgi_temp_path $work/upstream; scgi_temp_path $work/upstream;
  server {
    listen 127.0.0.1:$upstream_port; root $work/www; default_type text/plain;
    # The OTLP sink of the EdgeGate under test: accepts every export, keeps nothing.
    location = /v1/traces { return 200; }
  }
}
EOF
sed -i "s|ERRLOG|$work/logs/upstream.err|" "$work/upstream/nginx.conf"

cat >"$work/proxy/nginx.conf" <<EOF
${nginx_common//PIDFILE/$work/proxy/nginx.pid}
worker_processes $cores;
http {
  access_log off; keepalive_requests 1000000;
  client_body_temp_path $work/proxy; proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/proxy; uwsgi_temp_path $work/proxy; scgi_temp_path $work/proxy;
  upstream backend { server 127.0.0.1:$upstream_port; keepalive 256; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$nginx_port;
    listen 127.0.0.1:$nginx_h2_port http2;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
EOF
sed -i "s|ERRLOG|$work/logs/proxy.err|" "$work/proxy/nginx.conf"

"$nginx_bin" -c "$work/upstream/nginx.conf" -g 'daemon off;' &
pids+=($!)
"$nginx_bin" -c "$work/proxy/nginx.conf" -g 'daemon off;' &
pids+=($!)

# The control channel is not what is measured here: plaintext keeps the setup to one line each.
"$root/bin/control-plane" --insecure --listen "127.0.0.1:$control_port" --data-dir "$work/control-plane" \
  >"$work/logs/control-plane.log" 2>&1 &
pids+=($!)
base_jvm_opts="-Xms1g -Xmx1g -XX:+UseParallelGC"
jvm_opts=$base_jvm_opts
if $profile; then
  jvm_opts="$jvm_opts -XX:StartFlightRecording=filename=$work/edgegate.jfr,settings=profile"
fi
# All signals on: metrics (scraped below), the access log (its default file), tracing at 1 %. The node
# with them keeps $admin_port (scraped below) wherever it runs; the other node has its own.
signals_on=(--otlp-endpoint "http://127.0.0.1:$upstream_port/v1/traces" --trace-sample 0.01)
signals_off=(--metrics off --access-log off)
if $aa; then
  signals_on=("${signals_off[@]}")
fi
start_node() { # role (on|off), address -> starts a data plane; sets on_pid or off_pid
  local role=$1 address=$2 pid
  if [ "$role" = on ]; then
    DATA_PLANE_JAVA_OPTS="$jvm_opts" "$root/bin/data-plane" --insecure --node-id "bench-on-${address}" \
      --control-plane "127.0.0.1:$control_port" --listen-address "$address" --io-threads "$cores" \
      --data-dir "$work/data-plane-on-$address" --admin-port "$admin_port" "${signals_on[@]}" \
      >>"$work/logs/data-plane-on.log" 2>&1 &
    pid=$!; on_pid=$pid
  else
    DATA_PLANE_JAVA_OPTS="$base_jvm_opts" "$root/bin/data-plane" --insecure --node-id "bench-off-${address}" \
      --control-plane "127.0.0.1:$control_port" --listen-address "$address" --io-threads "$cores" \
      --data-dir "$work/data-plane-off-$address" --admin-port "$quiet_admin_port" "${signals_off[@]}" \
      >>"$work/logs/data-plane-off.log" 2>&1 &
    pid=$!; off_pid=$pid
  fi
  pids+=($pid)
}
start_node on 127.0.0.1
data_plane_pid=$on_pid
# All three off, same config, on 127.0.0.2.
start_node off 127.0.0.2

wait_port "$upstream_port" 10
wait_port "$nginx_port" 10
wait_port "$control_port" 60
cat >"$work/edgegate.yaml" <<EOF
kind: HTTPServer
name: bench
port: $edgegate_port
keepAliveTimeout: 75s
maxConnections: 100000
xForwardedFor: true
rules:
- paths:
  - pathPrefix: /
    backend: bench
---
kind: HTTPPipeline
name: bench
flow:
- filter: proxy
filters:
- name: proxy
  kind: Proxy
  mainPool:
    servers:
    - url: http://127.0.0.1:$upstream_port
    loadBalance:
      policy: roundRobin
EOF
deadline=$((SECONDS + 60))
until "$root/bin/egctl" --insecure --server "127.0.0.1:$control_port" apply --wait --timeout 10s -f "$work/edgegate.yaml" \
    >"$work/logs/apply.log" 2>&1; do
  [ $SECONDS -lt $deadline ] || { cat "$work/logs/apply.log" >&2; exit 1; }
  sleep 1
done
wait_port "$edgegate_port" 10
wait_port "$edgegate_port" 10 127.0.0.2
wait_port "$admin_port" 10
# A Prometheus-like scrape every 5 s for the whole run.
(while sleep 5; do curl -s -o /dev/null "http://127.0.0.1:$admin_port/metrics" || true; done) &
pids+=($!)

run_wrk() { # url -> "rps p99ms errors"
  wrk -t1 -c"$connections" -d"${duration}s" --latency "$1" | wrk_result
}

run_h2load() { # url -> "rps p99ms errors"
  local log="$work/h2load.log" out
  rm -f "$log"
  out=$(h2load -t1 -c"$connections" -m10 -D "$duration" --log-file="$log" "$1" 2>&1)
  local rps errors p99
  rps=$(echo "$out" | awk '/^finished in/ { gsub(",", ""); printf "%.0f", $4 }')
  errors=$(echo "$out" | awk '/^requests:/ { print $10 + $12 }')
  p99=$(awk '{ print $3 }' "$log" | sort -n | awk '{ a[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f", a[i] / 1000 }')
  echo "$rps $p99 $errors"
}

# 15 s of each test on each node: C2 keeps compiling the h2c and 16 KB paths well past 5 s of their load,
# and a first table measured before that charged the JIT's work to EdgeGate (the same node served h2c
# 16k r/s there and 20k in the on/off table after it). The node of the first table is warmed last, so
# that table does not find it after a minute idle.
echo "warming up (JIT) ..."
for address in 127.0.0.2 127.0.0.1; do
  wrk -t1 -c"$connections" -d15s "http://$address:$edgegate_port/1k" >/dev/null
  wrk -t1 -c"$connections" -d15s "http://$address:$edgegate_port/16k" >/dev/null
  h2load -t1 -c"$connections" -m10 -D 15 "http://$address:$edgegate_port/1k" >/dev/null 2>&1
done
wrk -t1 -c"$connections" -d3s "http://127.0.0.1:$nginx_port/1k" >/dev/null

printf '\n%s cores, %s connections, %ss per run; EdgeGate data plane JVM: %s\n\n' "$cores" "$connections" "$duration" "$jvm_opts"
printf '| %-22s | %12s | %12s | %6s | %10s | %10s | %6s |\n' "test" "EdgeGate r/s" "NGINX r/s" "ratio" "EG p99 ms" "NX p99 ms" "errors"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------" "--------------:" "--------------:" "-------:" "-----------:" "-----------:" "-------:"
report() { # name, edgegate result, nginx result
  read -r e_rps e_p99 e_err <<<"$2"
  read -r n_rps n_p99 n_err <<<"$3"
  ratio=$(awk -v a="$e_rps" -v b="$n_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  # Errors of each side, first column's first: which server failed requests matters more than how many.
  if [ -n "${4:-}" ]; then
    printf '| %-22s | %12s | %12s | %6s | %10s | %10s | %6s | %22s |\n' "$1" "$e_rps" "$n_rps" "$ratio" "$e_p99" "$n_p99" "$e_err/$n_err" "$4"
  else
    printf '| %-22s | %12s | %12s | %6s | %10s | %10s | %6s |\n' "$1" "$e_rps" "$n_rps" "$ratio" "$e_p99" "$n_p99" "$e_err/$n_err"
  fi
}
# Each measured run, of EdgeGate and of NGINX alike, follows 3 s of the same load on the same server,
# unmeasured: when a node's load starts after it sat idle, the JIT throws away and recompiles hot code
# (seen with -XX:+PrintCompilation), costing that run up to 2 us of compiler time per request. On a
# slow day even that is not enough for the first table: its EdgeGate node served 16k r/s where, minutes
# later in the second table, the same node served 20k.
settled() { # runner, url -> the runner's result after 3 s of the same load
  if [ "$1" = run_wrk ]; then wrk -t1 -c"$connections" -d3s "$2" >/dev/null
  else h2load -t1 -c"$connections" -m10 -D 3 "$2" >/dev/null 2>&1; fi
  $1 "$2"
}
report "HTTP/1.1 1 KB" "$(settled run_wrk "http://127.0.0.1:$edgegate_port/1k")" "$(settled run_wrk "http://127.0.0.1:$nginx_port/1k")"
report "HTTP/1.1 16 KB" "$(settled run_wrk "http://127.0.0.1:$edgegate_port/16k")" "$(settled run_wrk "http://127.0.0.1:$nginx_port/16k")"
report "HTTP/2 (h2c) 1 KB" "$(settled run_h2load "http://127.0.0.1:$edgegate_port/1k")" "$(settled run_h2load "http://127.0.0.1:$nginx_h2_port/1k")"
echo
echo "data plane RSS at the end: $(awk '/VmRSS/ { printf "%d MB", $2 / 1024 }' "/proc/$data_plane_pid/status")"

# The cost of the signals: nodes with all three off against nodes with them on, in the same run. Two nodes
# of the same build read apart by up to 9 % on a mean of three pairs with nothing to tell them apart
# (bench/README, "A/A"), and there the node on 127.0.0.1 read the faster. So half of the pairs are measured
# on two new nodes with the roles swapped (the signals on 127.0.0.2): neither an address nor one JVM's
# compiled code decides the ratio. Within each half, runs alternate (on, off, off, on, then off, on, on,
# off): on this shared machine the run measured first after another tends to be slower.
warm_node() { # address: 15 s of each test, so C2 has compiled the paths the pairs measure
  wrk -t1 -c"$connections" -d15s "http://$1:$edgegate_port/1k" >/dev/null
  wrk -t1 -c"$connections" -d15s "http://$1:$edgegate_port/16k" >/dev/null
  h2load -t1 -c"$connections" -m10 -D 15 "http://$1:$edgegate_port/1k" >/dev/null 2>&1
}
mean_of() { # "rps p99 errors" results -> their mean (errors summed)
  printf '%s\n' "$@" | awk '{ rps += $1; p99 += $2; errors += $3; n++ } END { printf "%.0f %.2f %d", rps / n, p99 / n, errors }'
}
pair_ratio() { # on result, off result -> on/off requests/s
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); if (y[1] > 0) printf "%.2f", x[1] / y[1]; else print "-" }'
}
declare -A on_results off_results pair_ratios
measure_half() { # on address, off address, role measured first -> two pairs of each test
  local test runner path on_url off_url first=$3 r1 r2 r3 r4
  for test in 1k 16k h2c; do
    case $test in
      1k) runner=run_wrk path=/1k ;;
      16k) runner=run_wrk path=/16k ;;
      h2c) runner=run_h2load path=/1k ;;
    esac
    on_url="http://$1:$edgegate_port$path" off_url="http://$2:$edgegate_port$path"
    if [ "$first" = on ]; then
      r1=$(settled $runner "$on_url"); r2=$(settled $runner "$off_url")
      r3=$(settled $runner "$off_url"); r4=$(settled $runner "$on_url")
    else
      r2=$(settled $runner "$off_url"); r1=$(settled $runner "$on_url")
      r4=$(settled $runner "$on_url"); r3=$(settled $runner "$off_url")
    fi
    on_results[$test]+="$r1;$r4;" off_results[$test]+="$r2;$r3;"
    pair_ratios[$test]+="$(pair_ratio "$r1" "$r2") $(pair_ratio "$r4" "$r3") "
  done
}
signals_summary() { # address of the node with the signals on: what its metrics counted
  $aa || curl -s "http://127.0.0.1:$admin_port/metrics" | awk -v address="$1" '
    /^edgegate_http_requests_total/ { requests += $2 }
    /^edgegate_access_log_lines_total.*outcome="written"/ { written = $2 }
    /^edgegate_access_log_lines_total.*outcome="dropped"/ { dropped = $2 }
    END { printf "signals-on node on %s: %d requests counted, %d access-log lines written, %d dropped\n", address, requests, written, dropped }'
}
if $profile; then
  jcmd "$data_plane_pid" JFR.dump filename="$work/edgegate.jfr" >/dev/null
fi

# The off node first gets the load the on node just had in the table above, so both JITs are as warm.
warm_node 127.0.0.2
echo
echo "first half of the pairs: signals on 127.0.0.1, off on 127.0.0.2"
measure_half 127.0.0.1 127.0.0.2 on
summaries=$(signals_summary 127.0.0.1)
echo "second half: two new nodes, signals on 127.0.0.2, off on 127.0.0.1 ..."
kill "$on_pid" "$off_pid"
wait "$on_pid" "$off_pid" 2>/dev/null || true
start_node on 127.0.0.2
start_node off 127.0.0.1
wait_port "$edgegate_port" 60 127.0.0.2
wait_port "$edgegate_port" 60 127.0.0.1
wait_port "$admin_port" 10
# The node measured first in this half is warmed last.
warm_node 127.0.0.2
warm_node 127.0.0.1
measure_half 127.0.0.2 127.0.0.1 off
summaries=$(printf '%s\n%s' "$summaries" "$(signals_summary 127.0.0.2)")

if $aa; then
  printf '\nA/A: EdgeGate nodes with the signals off; "first" are the nodes in the signals-on role (mean of four runs each):\n\n'
  first=first second=second
else
  printf '\nEdgeGate with metrics, access log and tracing (1 %%) on, against all three off (mean of four runs each):\n\n'
  first=on second=off
fi
printf '| %-22s | %12s | %12s | %6s | %10s | %10s | %6s | %22s |\n' "test" "$first r/s" "$second r/s" "ratio" \
  "$first p99 ms" "$second p99 ms" "errors" "pairs' ratios"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------" "--------------:" "--------------:" "-------:" "-----------:" "-----------:" "-------:" "------------------------:"
for test in 1k 16k h2c; do
  case $test in
    1k) name="HTTP/1.1 1 KB" ;;
    16k) name="HTTP/1.1 16 KB" ;;
    h2c) name="HTTP/2 (h2c) 1 KB" ;;
  esac
  IFS=';' read -r -a ons <<<"${on_results[$test]%;}"
  IFS=';' read -r -a offs <<<"${off_results[$test]%;}"
  report "$name" "$(mean_of "${ons[@]}")" "$(mean_of "${offs[@]}")" "${pair_ratios[$test]% }"
done
echo
$aa || echo "$summaries"

if $profile; then
  cp "$work/edgegate.jfr" "${TMPDIR:-/tmp}/edgegate-bench.jfr"
  echo "profile kept in ${TMPDIR:-/tmp}/edgegate-bench.jfr (open with JDK Mission Control or 'jfr print')"
  echo
  echo "hottest frames in the data plane (JFR execution samples, top of stack):"
  jfr print --events jdk.ExecutionSample "$work/edgegate.jfr" \
    | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); count[$0]++ } END { for (f in count) print count[f], f }' \
    | sort -rn | head -20 || true
fi
