#!/usr/bin/env bash
# bench/proxy: EdgeGate against NGINX as a reverse proxy, same machine, same upstream, same run.
# Starts an upstream (an NGINX serving 1 KB and 16 KB files), an NGINX proxy (keep-alive to the
# upstream, one worker per core) and an EdgeGate data plane (one event loop per core, config
# applied through a real control plane), warms both up, then drives each with wrk (HTTP/1.1
# keep-alive) and h2load (HTTP/2 cleartext, prior knowledge) and prints requests/s, p99 and the
# EdgeGate/NGINX ratios. The EdgeGate under test runs with all three signals on (metrics scraped
# every 5 s, the JSON access log, tracing at 1 % to an OTLP sink); a second data plane with all
# three off serves the same config on 127.0.0.2, and a second table compares the two.
# Installs nginx-light, wrk, nghttp2-client, curl and etcd when missing.
#
#   bench/proxy.sh [--duration SECONDS] [--connections N] [--profile] [--aa]
#
# --profile records a JFR profile of the data plane and prints its hottest frames.
# --aa runs the first data plane with the signals off too: the second table then compares two
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
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
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
take_port edgegate_port; take_port control_port; take_port admin_port

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
jvm_opts="-Xms1g -Xmx1g -XX:+UseParallelGC"
if $profile; then
  jvm_opts="$jvm_opts -XX:StartFlightRecording=filename=$work/edgegate.jfr,settings=profile"
fi
# All signals on: metrics (scraped below), the access log (its default file), tracing at 1 %.
signals=(--otlp-endpoint "http://127.0.0.1:$upstream_port/v1/traces" --trace-sample 0.01)
if $aa; then
  signals=(--metrics off --access-log off)
fi
DATA_PLANE_JAVA_OPTS="$jvm_opts" "$root/bin/data-plane" --insecure --node-id bench --control-plane "127.0.0.1:$control_port" \
  --listen-address 127.0.0.1 --io-threads "$cores" --data-dir "$work/data-plane" --admin-port "$admin_port" \
  "${signals[@]}" \
  >"$work/logs/data-plane.log" 2>&1 &
data_plane_pid=$!
pids+=($data_plane_pid)
# All three off, same config, on 127.0.0.2.
DATA_PLANE_JAVA_OPTS="-Xms1g -Xmx1g -XX:+UseParallelGC" "$root/bin/data-plane" --insecure --node-id bench-quiet \
  --control-plane "127.0.0.1:$control_port" --listen-address 127.0.0.2 --io-threads "$cores" --data-dir "$work/data-plane-quiet" \
  --metrics off --access-log off >"$work/logs/data-plane-quiet.log" 2>&1 &
quiet_pid=$!
pids+=($quiet_pid)

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
    printf '| %-22s | %12s | %12s | %6s | %10s | %10s | %6s | %16s |\n' "$1" "$e_rps" "$n_rps" "$ratio" "$e_p99" "$n_p99" "$e_err/$n_err" "$4"
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

# The cost of the signals: the same data plane with all three off, in the same run. The off node first gets
# the load the on node just had in the table above, so both JITs are as warm (C2 still compiling costs
# either side up to 3 us per request).
wrk -t1 -c"$connections" -d"${duration}s" "http://127.0.0.2:$edgegate_port/1k" >/dev/null
wrk -t1 -c"$connections" -d"${duration}s" "http://127.0.0.2:$edgegate_port/16k" >/dev/null
h2load -t1 -c"$connections" -m10 -D "$duration" "http://127.0.0.2:$edgegate_port/1k" >/dev/null 2>&1
if $aa; then
  printf '\nA/A: two EdgeGate nodes with the signals off, the first against the second (mean of three runs each, alternated):\n\n'
else
  printf '\nEdgeGate with metrics, access log and tracing (1 %%) on, against all three off (mean of three runs each, alternated):\n\n'
fi
if $aa; then first=first second=second; else first=on second=off; fi
printf '| %-22s | %12s | %12s | %6s | %10s | %10s | %6s | %16s |\n' "test" "$first r/s" "$second r/s" "ratio" \
  "$first p99 ms" "$second p99 ms" "errors" "pairs' ratios"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------" "--------------:" "--------------:" "-------:" "-----------:" "-----------:" "-------:" "------------------:"
# Runs alternate on, off, off, on, on, off and each side's three results are averaged: on this shared machine the
# run measured first after another tends to be slower, and a fixed order would charge that to one side. The
# ratio of each pair (on/off, in the order run) shows the spread a single comparison has here.
mean_of() { # three "rps p99 errors" results -> their mean (errors summed)
  awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { split(a, x, " "); split(b, y, " "); split(c, z, " ")
    printf "%.0f %.2f %d", (x[1] + y[1] + z[1]) / 3, (x[2] + y[2] + z[2]) / 3, x[3] + y[3] + z[3] }'
}
pair_ratio() { # on result, off result -> on/off requests/s
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); if (y[1] > 0) printf "%.2f", x[1] / y[1]; else print "-" }'
}
compare() { # name, runner, path
  local on1 off1 off2 on2 on3 off3 on="http://127.0.0.1:$edgegate_port$3" off="http://127.0.0.2:$edgegate_port$3"
  on1=$(settled "$2" "$on"); off1=$(settled "$2" "$off")
  off2=$(settled "$2" "$off"); on2=$(settled "$2" "$on")
  on3=$(settled "$2" "$on"); off3=$(settled "$2" "$off")
  report "$1" "$(mean_of "$on1" "$on2" "$on3")" "$(mean_of "$off1" "$off2" "$off3")" \
    "$(pair_ratio "$on1" "$off1") $(pair_ratio "$on2" "$off2") $(pair_ratio "$on3" "$off3")"
}
compare "HTTP/1.1 1 KB" run_wrk /1k
compare "HTTP/1.1 16 KB" run_wrk /16k
compare "HTTP/2 (h2c) 1 KB" run_h2load /1k
echo
$aa || curl -s "http://127.0.0.1:$admin_port/metrics" | awk '
  /^edgegate_http_requests_total/ { requests += $2 }
  /^edgegate_access_log_lines_total.*outcome="written"/ { written = $2 }
  /^edgegate_access_log_lines_total.*outcome="dropped"/ { dropped = $2 }
  END { printf "signals-on node: %d requests counted, %d access-log lines written, %d dropped\n", requests, written, dropped }'

if $profile; then
  jcmd "$data_plane_pid" JFR.dump filename="$work/edgegate.jfr" >/dev/null
  cp "$work/edgegate.jfr" "${TMPDIR:-/tmp}/edgegate-bench.jfr"
  echo "profile kept in ${TMPDIR:-/tmp}/edgegate-bench.jfr (open with JDK Mission Control or 'jfr print')"
  echo
  echo "hottest frames in the data plane (JFR execution samples, top of stack):"
  jfr print --events jdk.ExecutionSample "$work/edgegate.jfr" \
    | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); count[$0]++ } END { for (f in count) print count[f], f }' \
    | sort -rn | head -20 || true
fi
