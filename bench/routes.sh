#!/usr/bin/env bash
# bench/routes: does EdgeGate stay fast with many routes, and how long does changing one take?
# Starts an upstream (NGINX), a control plane with its managed etcd and one data plane (the
# proxy bench's JVM flags), then for each route count applies one HTTPServer with that many
# routes — 80 % exact paths, 19 % path prefixes, 1 % path regexps, spread over ten exact hosts
# and a rule for any host — sending them to 100 Proxy pipelines, and drives it with wrk, each
# request to a random route (a Lua script). For the largest count it then changes one route
# at a time while wrk runs, and reports each change's apply→ACK, the node's apply and the p99
# (against the same window with no change); then the same for one pipeline next to that server; then
# the no-change and one-route windows again with wrk paced to ~70 % of the node's rate.
# Installs nginx-light, wrk and etcd when missing.
#
#   bench/routes.sh [--routes "1 10000 50000"] [--duration SECONDS] [--changes N] [--format yaml|json]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
route_counts="1 10000 50000"
duration=10
changes=5
format=yaml
while [ $# -gt 0 ]; do
  case "$1" in
    --routes) route_counts=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --changes) changes=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

. "$root/bench/lib.sh"
install_missing nginx:nginx-light wrk:wrk
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
"$root/deploy/ensure-etcd.sh"
if [ ! -f "$root/data-plane/target/data-plane.jar" ] || [ ! -f "$root/control-plane/target/control-plane.jar" ] \
    || [ ! -f "$root/egctl/target/egctl.jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests package)
fi

work_folder routes

take_port upstream_port; take_port edgegate_port; take_port control_port
mkdir -p "$work/www" "$work/upstream" "$work/logs"
head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 >"$work/www/index.html"
chmod 755 "$work" "$work/www" && chmod 644 "$work/www/index.html"
cat >"$work/upstream/nginx.conf" <<EOF
pid $work/upstream/nginx.pid; error_log $work/logs/upstream.err warn; events { worker_connections 4096; }
worker_processes 1;
http {
  access_log off; keepalive_requests 1000000;
  client_body_temp_path $work/upstream; proxy_temp_path $work/upstream;
  fastcgi_temp_path $work/upstream; uwsgi_temp_path $work/upstream; scgi_temp_path $work/upstream;
  # Every route's path answers the same 1 KB.
  server { listen 127.0.0.1:$upstream_port; default_type text/plain; location / { root $work/www; try_files /index.html =404; } }
}
EOF
"$nginx_bin" -c "$work/upstream/nginx.conf" -g 'daemon off;' &
pids+=($!)
"$root/bin/control-plane" --insecure --listen "127.0.0.1:$control_port" --data-dir "$work/control-plane" \
  >"$work/logs/control-plane.log" 2>&1 &
pids+=($!)
DATA_PLANE_JAVA_OPTS="-Xms1g -Xmx1g -XX:+UseParallelGC" "$root/bin/data-plane" --insecure --node-id routes \
  --control-plane "127.0.0.1:$control_port" --listen-address 127.0.0.1 --data-dir "$work/data-plane" --admin-port 0 \
  >"$work/logs/data-plane.log" 2>&1 &
pids+=($!)
wait_port "$upstream_port" 10
wait_port "$control_port" 60

egctl() { "$root/bin/egctl" --insecure --server "127.0.0.1:$control_port" "$@"; }

# The 100 pipelines every route count shares.
{
  for p in $(seq 0 99); do
    printf -- '---\nkind: HTTPPipeline\nname: p%s\nflow:\n- filter: proxy\nfilters:\n- name: proxy\n  kind: Proxy\n' "$p"
    printf '  mainPool:\n    servers:\n    - url: http://127.0.0.1:%s\n' "$upstream_port"
  done
} >"$work/pipelines.yaml"
deadline=$((SECONDS + 60))
until egctl apply -f "$work/pipelines.yaml" >"$work/logs/apply.log" 2>&1; do
  [ $SECONDS -lt $deadline ] || { cat "$work/logs/apply.log" >&2; exit 1; }
  sleep 1
done
# The first server's apply→ACK needs the node on the stream: an apply before it connects has no node to wait for.
until grep -q "connected to control plane" "$work/logs/data-plane.log"; do
  [ $SECONDS -lt $deadline ] || { echo "the data plane did not connect to the control plane" >&2; exit 1; }
  sleep 0.2
done

# Route i: host h(i % 11) (h10 is the rule for any host); kind by i % 100 (0: regexp, 1-19: prefix,
# else exact). One more exact route, /changing-G, is the one the changes rename; wrk never asks for it.
server_yaml() { # routes, generation of the changing route -> HTTPServer YAML
  awk -v n="$1" -v port="$edgegate_port" -v gen="$2" 'BEGIN {
    printf "kind: HTTPServer\nname: routes\nport: %d\nkeepAliveTimeout: 75s\nmaxConnections: 100000\nrules:\n", port
    for (h = 0; h < 11; h++) {
      if (h >= n && h < 10) continue
      if (h < 10) printf "- host: h%d.bench\n  paths:\n", h; else printf "- paths:\n"
      for (i = h; i < n; i += 11) {
        kind = i % 100
        if (kind == 0) printf "  - pathRegexp: ^/re-%d/[0-9]+$\n", i
        else if (kind < 20) printf "  - pathPrefix: /pre-%d/\n", i
        else printf "  - path: /exact-%d\n", i
        printf "    backend: p%d\n", i % 100
      }
      if (h == 10) printf "  - path: /changing-%d\n    backend: p0\n", gen
    }
  }'
}
server_json() { # the same server as server_yaml, as JSON (what a script generating routes writes)
  awk -v n="$1" -v port="$edgegate_port" -v gen="$2" 'BEGIN {
    printf "{\"kind\":\"HTTPServer\",\"name\":\"routes\",\"port\":%d,\"keepAliveTimeout\":\"75s\",\"maxConnections\":100000,\"rules\":[", port
    rules = 0
    for (h = 0; h < 11; h++) {
      if (h >= n && h < 10) continue
      printf "%s{", (rules++ ? "," : "")
      if (h < 10) printf "\"host\":\"h%d.bench\",", h
      printf "\"paths\":["
      paths = 0
      for (i = h; i < n; i += 11) {
        kind = i % 100
        printf "%s{", (paths++ ? "," : "")
        if (kind == 0) printf "\"pathRegexp\":\"^/re-%d/[0-9]+$\"", i
        else if (kind < 20) printf "\"pathPrefix\":\"/pre-%d/\"", i
        else printf "\"path\":\"/exact-%d\"", i
        printf ",\"backend\":\"p%d\"}", i % 100
      }
      if (h == 10) printf "%s{\"path\":\"/changing-%d\",\"backend\":\"p0\"}", (paths++ ? "," : ""), gen
      printf "]}"
    }
    printf "]}\n"
  }'
}
server_doc() { # routes, generation -> the server in the chosen --format
  if [ "$format" = json ]; then server_json "$@"; else server_yaml "$@"; fi
}
wrk_script() { # routes -> a wrk Lua script that sends each request to a random route, with its host
  cat <<EOF
local n = $1
math.randomseed(7)
request = function()
  local i = math.random(0, n - 1)
  local kind = i % 100
  local path
  if kind == 0 then path = "/re-" .. i .. "/42"
  elseif kind < 20 then path = "/pre-" .. i .. "/0/item"
  else path = "/exact-" .. i end
  local host = "any.bench"
  if i % 11 < 10 then host = "h" .. (i % 11) .. ".bench" end
  return wrk.format("GET", path, {["Host"] = host})
end
EOF
}
apply_server() { # yaml file -> the node's apply->ACK in ms
  local out
  out=$(egctl apply --wait --timeout 60s -f "$1")
  echo "$out" | awk '/applied in/ { print $(NF - 1) }'
}

printf '\nOne data plane (%s cores, -Xms1g -Xmx1g -XX:+UseParallelGC), wrk -t1 -c64, %ss per run, 1 KB answers, servers written as %s\n\n' "$(nproc)" "$duration" "$format"
printf '| routes | object size | apply→ACK ms | req/s | p99 ms | errors |\n|---:|---:|---:|---:|---:|---:|\n'
largest=0
for n in $route_counts; do
  server_doc "$n" 0 >"$work/server-$n.yaml"
  wrk_script "$n" >"$work/wrk-$n.lua"
  applied=$(apply_server "$work/server-$n.yaml")
  wait_port "$edgegate_port" 10
  # Warm the JIT on this table before measuring.
  wrk -t1 -c64 -d5s -s "$work/wrk-$n.lua" "http://127.0.0.1:$edgegate_port" >/dev/null
  read -r rps p99 errors <<<"$(wrk -t1 -c64 -d"${duration}s" --latency -s "$work/wrk-$n.lua" "http://127.0.0.1:$edgegate_port" | wrk_result)"
  printf '| %s | %s KB | %s | %s | %s | %s |\n' "$n" "$(($(wc -c <"$work/server-$n.yaml") / 1024))" "$applied" "$rps" "$p99" "$errors"
  largest=$n
done

changes_under_load() { # file prefix [wrk script]: applies $work/<prefix>-1.yaml ... one every 2 s while wrk runs (none: no change); prints what it saw
  local script=${2:-$work/wrk-$largest.lua}
  local out
  out="$work/wrk-$1-$(basename "$script" .lua).txt"
  wrk -t1 -c64 -d$((changes * 2 + 4))s --latency -s "$script" "http://127.0.0.1:$edgegate_port" >"$out" &
  local wrk_pid=$! times=() g started applied_before
  applied_before=$(grep -c "applied revision" "$work/logs/data-plane.log" || true)
  sleep 2
  for g in $(seq 1 "$changes"); do
    started=$SECONDS
    [ "$1" = none ] || times+=("$(apply_server "$work/$1-$g.yaml")")
    while [ $((SECONDS - started)) -lt 2 ]; do sleep 0.1; done
  done
  wait "$wrk_pid"
  read -r rps p99 errors <<<"$(wrk_result <"$out")"
  # The node's own apply of each change (decode, route table, listeners; not the last-good save before its ACK).
  local node_ms
  node_ms=$(grep "applied revision" "$work/logs/data-plane.log" | tail -n +$((applied_before + 1)) \
    | sed -n 's/.* in \([0-9]*\) ms:.*/\1/p' | tr '\n' ' ')
  printf 'apply→ACK ms of each change: %s\nthe node'"'"'s apply, ms: %s\nduring the changes: %s req/s, p99 %s ms, %s errors\n' \
    "${times[*]}" "$node_ms" "$rps" "$p99" "$errors"
}

# The same window without a change: what the p99 during changes compares with.
printf '\nThe same %s s of wrk on %s routes, no change:\n\n' "$((changes * 2 + 4))" "$largest"
changes_under_load none | tail -1

# Changes of one route among the largest count.
printf '\nChanging one route among %s, %s times, one every 2 s, while wrk runs:\n\n' "$largest" "$changes"
for g in $(seq 1 "$changes"); do server_doc "$largest" "$g" >"$work/change-$g.yaml"; done
changes_under_load change

# Changes of one pipeline next to the largest server: the server's object is not decoded or indexed again.
printf '\nChanging one pipeline next to %s routes, %s times, one every 2 s, while wrk runs:\n\n' "$largest" "$changes"
for g in $(seq 1 "$changes"); do
  printf 'kind: HTTPPipeline\nname: p99\nflow:\n- filter: proxy\nfilters:\n- name: proxy\n  kind: Proxy\n  mainPool:\n' >"$work/pipeline-$g.yaml"
  printf '    servers:\n    - url: http://127.0.0.1:%s\n    timeout: %ss\n' "$upstream_port" "$((30 + g))" >>"$work/pipeline-$g.yaml"
done
changes_under_load pipeline

# The same two windows with the node below its limit, as a proxy in production runs: each connection
# waits between requests, for ~70 % of the rate the node reached above without a change. Saturated, any
# CPU an apply takes (control plane, egctl, etcd, the node's own) comes out of the requests' share of
# the two cores; here it comes out of the spare.
read -r steady_rps _ _ <<<"$(wrk_result <"$work/wrk-none-wrk-$largest.txt")"
pause_ms=$(awk -v r="$steady_rps" 'BEGIN { d = int(64 * 1000 / (0.7 * r)) - 1; print (d < 1 ? 1 : d) }')
{ wrk_script "$largest"; printf 'delay = function() return %s end\n' "$pause_ms"; } >"$work/paced.lua"
printf '\nPaced (each connection waits %s ms between its requests), no change:\n\n' "$pause_ms"
changes_under_load none "$work/paced.lua" | tail -1
for g in $(seq 1 "$changes"); do server_doc "$largest" "$((changes + g))" >"$work/paced-$g.yaml"; done
printf '\nPaced, changing one route among %s, %s times, one every 2 s:\n\n' "$largest" "$changes"
changes_under_load paced "$work/paced.lua"
