#!/usr/bin/env bash
# bench/cluster-proxy: EdgeGate against NGINX under the conditions a user of the local cluster meets.
# Starts the local cluster (deploy/local-cluster.sh: etcd, a control plane, three data planes with
# the default launcher, the example config and its three echo backends) in a folder of its own, and
# an NGINX with two workers proxying to the same three echo backends (round robin, keep-alive). Then,
# for each of them, 5 s of warm-up and a measured run of wrk -t2 -c64 (the load generator takes its
# share of the cores, as it would beside a real node), alternating EdgeGate, NGINX, NGINX, EdgeGate
# and averaging each side. Installs nginx-light and wrk when missing. Needs the local cluster's ports.
#
#   bench/cluster-proxy.sh [--duration SECONDS] [--connections N]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
duration=15
connections=64
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

. "$root/bench/lib.sh"
install_missing nginx:nginx-light wrk:wrk
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work_folder cluster-bench
export EDGEGATE_CLUSTER_DIR="$work/cluster"
before_stop() {
  "$root/deploy/local-cluster.sh" down >/dev/null 2>&1 || true
}
"$root/deploy/local-cluster.sh" up >"$work/cluster-up.log"

take_port nginx_port
mkdir -p "$work/nginx" "$work/logs"
cat >"$work/nginx/nginx.conf" <<EOF
pid $work/nginx/nginx.pid; error_log $work/logs/nginx.err warn; events { worker_connections 4096; }
worker_processes 2;
http {
  access_log off; keepalive_requests 1000000;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  upstream backends { server 127.0.0.1:9095; server 127.0.0.1:9096; server 127.0.0.1:9097; keepalive 256; }
  server {
    listen 127.0.0.1:$nginx_port;
    location /pipeline {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
EOF
"$nginx_bin" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_port "$nginx_port" 10

edgegate="http://127.0.0.2:10080/pipeline"
nginx="http://127.0.0.1:$nginx_port/pipeline"
measured() { # url -> "rps p99ms errors" after 5 s of the same load
  wrk -t2 -c"$connections" -d5s "$1" >/dev/null
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$1" | wrk_result
}
mean_of() { # two "rps p99 errors" results -> their mean (errors summed)
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f %.2f %d", (x[1] + y[1]) / 2, (x[2] + y[2]) / 2, x[3] + y[3] }'
}
e1=$(measured "$edgegate"); n1=$(measured "$nginx"); n2=$(measured "$nginx"); e2=$(measured "$edgegate")
read -r e_rps e_p99 e_err <<<"$(mean_of "$e1" "$e2")"
read -r n_rps n_p99 n_err <<<"$(mean_of "$n1" "$n2")"

printf '\nLocal cluster (3 data planes, control plane, etcd, echo backends, default launchers) on %s cores;\n' "$(nproc)"
printf 'wrk -t2 -c%s, 5 s warm-up before each %s s run, runs alternated and averaged\n\n' "$connections" "$duration"
printf '| proxy | req/s | p99 ms | errors |\n|---|---:|---:|---:|\n'
printf '| EdgeGate node-1 | %s | %s | %s |\n| NGINX, 2 workers | %s | %s | %s |\n' "$e_rps" "$e_p99" "$e_err" "$n_rps" "$n_p99" "$n_err"
printf '\nEdgeGate / NGINX: %s of the requests/s\n' "$(awk -v a="$e_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')"
