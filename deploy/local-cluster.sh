#!/usr/bin/env bash
# A local EdgeGate cluster on this machine: etcd, one control plane and N data planes on
# loopback addresses 127.0.0.2, 127.0.0.3, ... (no setup needed on Linux), plus the example
# objects and three echo backends for them. Logs and state live in one folder. Secure as a
# real fleet: a local CA (pki/), etcd with TLS and client certificates, the control plane's
# port with TLS and tokens, a certificate per node, and an egctl config with an admin token
# that bin/egctl finds by itself.
#
#   deploy/local-cluster.sh up [--data-planes N] [--no-examples] [--hosts]
#   deploy/local-cluster.sh partition NODE | heal NODE     (with --hosts)
#   deploy/local-cluster.sh status
#   deploy/local-cluster.sh down [--purge]
#
# --hosts runs each data plane as a host of its own: a Linux network namespace with two links,
# one to a "control" bridge where the control plane listens (10.77.1.1) and one to a "traffic"
# bridge where clients and the echo backends are (10.77.0.1); node-i is 10.77.0.(10+i) for
# traffic and 10.77.1.(10+i) for control. `partition node-2` takes node-2's control link down
# (it keeps serving its clients and upstreams), `heal node-2` brings it back. Needs root (or
# CAP_NET_ADMIN) and iproute2; `down` removes the namespaces and bridges.
#
# Environment: EDGEGATE_CLUSTER_DIR (state, default .local-cluster), EDGEGATE_CONTROL_PLANE_PORT
# (default 2381), EDGEGATE_ADMIN_PORT (the nodes' admin port, default 9901) and, with --hosts,
# EDGEGATE_HOSTS_NET (the first two octets of its subnets, default 10.77).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
state="${EDGEGATE_CLUSTER_DIR:-$root/.local-cluster}"
logs="$state/logs"
pids="$state/pids"
# Overridable so a test can run a second cluster beside the default one.
cp_port="${EDGEGATE_CONTROL_PLANE_PORT:-2381}"
cp_listen="127.0.0.1:$cp_port"
admin_port="${EDGEGATE_ADMIN_PORT:-9901}"
echo_ports=(9095 9096 9097)
hosts_net="${EDGEGATE_HOSTS_NET:-10.77}"
# This script's own egctl calls run on their own JVM: a daemon starting now would take CPU from the
# cluster coming up; the user's first egctl call starts it.
export EGCTL_DAEMON=off
# Interface names are at most 15 characters: a short tag of the state folder keeps two clusters apart.
tag=$(printf '%s' "$state" | sha256sum | cut -c1-4)

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  exit 2
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

free_port_from() {
  local port=$1
  while port_open 127.0.0.1 "$port"; do port=$((port + 1)); done
  echo "$port"
}

# Prints the HTTP status of GET http://$1:$2$3, or nothing.
http_status() {
  local reply
  reply=$( (exec 3<>"/dev/tcp/$1/$2" && printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$3" "$1" >&3 && head -n1 <&3) 2>/dev/null || true)
  echo "$reply" | awk '{print $2}'
}

alive() { [ -f "$pids/$1" ] && kill -0 "$(cat "$pids/$1")" 2>/dev/null; }

start() { # name, command...
  local name=$1; shift
  setsid nohup "$@" >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pids/$name"
}

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "timed out waiting for $what; see $logs" >&2
      exit 1
    fi
    sleep 0.2
  done
}

node_ready() { [ "$(http_status "$1" "$admin_port" /healthz)" = "200" ]; }

build_if_needed() {
  local jar missing=0
  for jar in control-plane/target/control-plane.jar data-plane/target/data-plane.jar egctl/target/egctl.jar testkit/target/testkit.jar; do
    [ -f "$root/$jar" ] || missing=1
  done
  if [ $missing -eq 1 ]; then
    echo "building EdgeGate (mvn package, tests skipped) ..."
    (cd "$root" && mvn -B -q -DskipTests package)
  fi
}

# The --hosts network: bridges, and per node a namespace with a control and a traffic link.
hosts_file() { echo "$state/hosts"; }
using_hosts() { [ -f "$(hosts_file)" ]; }
namespace_of() { echo "eg$tag-$1"; }                  # node-2 -> eg1a2b-node-2
control_link_of() { echo "egc$tag${1#node-}"; }       # the control link's end on this side
traffic_address_of() { echo "$hosts_net.0.$((10 + ${1#node-}))"; }

hosts_network_up() { # data planes
  if [ "$(id -u)" -ne 0 ]; then
    echo "--hosts makes network namespaces and bridges: run it as root (or with CAP_NET_ADMIN)" >&2
    exit 1
  fi
  command -v ip >/dev/null || { echo "--hosts needs iproute2's ip" >&2; exit 1; }
  hosts_network_down
  local bridge net
  for net in 0 1; do
    bridge="eg$( [ $net -eq 0 ] && echo t || echo c )$tag"
    # Written down before it exists, so a failure half-way still leaves it for 'down' to remove.
    echo "bridge $bridge" >>"$(hosts_file)"
    ip link add "$bridge" type bridge
    ip addr add "$hosts_net.$net.1/24" dev "$bridge"
    ip link set "$bridge" up
  done
  local i ns
  for i in $(seq 1 "$1"); do
    ns=$(namespace_of "node-$i")
    echo "netns $ns" >>"$(hosts_file)"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    for net in 0 1; do
      local side="eg$( [ $net -eq 0 ] && echo t || echo c )$tag$i" inside="$( [ $net -eq 0 ] && echo eth0 || echo ctl0 )"
      ip link add "$side" type veth peer name "$inside" netns "$ns"
      ip link set "$side" master "eg$( [ $net -eq 0 ] && echo t || echo c )$tag" up
      ip -n "$ns" addr add "$hosts_net.$net.$((10 + i))/24" dev "$inside"
      ip -n "$ns" link set "$inside" up
    done
  done
}

hosts_network_down() {
  [ -f "$(hosts_file)" ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "this cluster's nodes run in network namespaces (up --hosts): run 'down' as root to remove them" >&2
    exit 1
  fi
  local kind name left=0 present
  present=$(ip netns list 2>/dev/null || true)
  # Namespaces first: their links (and the ends on this side) go with them.
  while read -r kind name; do
    if [ "$kind" = netns ] && grep -q "^$name\b" <<<"$present"; then
      ip netns delete "$name" || left=1
    fi
  done <"$(hosts_file)"
  while read -r kind name; do
    if [ "$kind" = bridge ] && ip link show "$name" >/dev/null 2>&1; then
      ip link delete "$name" || left=1
    fi
  done <"$(hosts_file)"
  if [ $left -eq 1 ]; then
    echo "some namespaces or bridges could not be removed; they are listed in $(hosts_file)" >&2
    return 1
  fi
  rm -f "$(hosts_file)"
}

control_link() { # up|down node
  local node=${2:?name a node, e.g. node-2}
  using_hosts || { echo "partition and heal need a cluster started with 'up --hosts'" >&2; exit 1; }
  grep -q "^$(namespace_of "$node")\b" <<<"$(ip netns list)" || { echo "no host for $node in this cluster" >&2; exit 1; }
  ip link set "$(control_link_of "$node")" "$1"
  if [ "$1" = down ]; then
    echo "$node is cut off from the control plane (its clients and upstreams still reach it); 'heal $node' ends it"
  else
    echo "$node's control link is back; it reconnects within 2 s"
  fi
}

up() {
  local data_planes=3 examples=1 hosts=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --data-planes) data_planes=${2:?--data-planes needs a number}; shift 2 ;;
      --no-examples) examples=0; shift ;;
      --hosts) hosts=1; shift ;;
      *) usage ;;
    esac
  done
  if alive control-plane; then
    echo "a local cluster is already running; 'deploy/local-cluster.sh status' shows it"
    exit 0
  fi
  "$root/deploy/ensure-etcd.sh"
  build_if_needed
  mkdir -p "$state"
  chmod 700 "$state"
  mkdir -p "$logs" "$pids"

  # Where nodes reach the control plane, clients reach nodes, and nodes reach the backends.
  local backend_host=127.0.0.1 cp_host=127.0.0.1
  if [ $hosts -eq 1 ]; then
    hosts_network_up "$data_planes"
    backend_host="$hosts_net.0.1"
    cp_host="$hosts_net.1.1"
    cp_listen="$cp_host:$cp_port"
  fi

  local pki="$state/pki" i nodes=""
  for i in $(seq 1 "$data_planes"); do nodes="$nodes${nodes:+,}node-$i"; done
  # One tool for every certificate: the CA is made once and kept; the leaves are (re)issued.
  "$root/bin/egctl" pki init --dir "$pki" --host "127.0.0.1,localhost,$cp_host" --nodes "$nodes" >/dev/null

  if port_open "$cp_host" "$cp_port"; then
    echo "$cp_listen is in use (another control plane?); stop it first" >&2
    exit 1
  fi
  local etcd_client etcd_peer
  etcd_client=$(free_port_from 23790)
  etcd_peer=$(free_port_from $((etcd_client + 1)))
  # etcd takes only clients with a certificate of its own CA (pki/etcd): the control plane's, no node's.
  # It takes requests of up to 10 MiB and 10,240 operations (etcd's defaults are 1.5 MiB and 128), as the
  # control plane's own etcd does.
  start etcd etcd --name local --data-dir "$state/etcd" \
    --listen-client-urls "https://127.0.0.1:$etcd_client" --advertise-client-urls "https://127.0.0.1:$etcd_client" \
    --listen-peer-urls "https://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "https://127.0.0.1:$etcd_peer" \
    --initial-cluster "local=https://127.0.0.1:$etcd_peer" --log-level warn --logger zap \
    --max-request-bytes 10485760 --max-txn-ops 10240 \
    --cert-file "$pki/etcd/etcd-server.pem" --key-file "$pki/etcd/etcd-server-key.pem" --trusted-ca-file "$pki/etcd/ca.pem" \
    --client-cert-auth \
    --peer-cert-file "$pki/etcd/etcd-server.pem" --peer-key-file "$pki/etcd/etcd-server-key.pem" \
    --peer-trusted-ca-file "$pki/etcd/ca.pem" \
    --peer-client-cert-auth
  wait_for "etcd" 20 port_open 127.0.0.1 "$etcd_client"

  local cp_admin
  cp_admin="127.0.0.1:$(free_port_from 9900)"
  start control-plane "$root/bin/control-plane" --listen "$cp_listen" --data-dir "$state/control-plane" \
    --admin-listen "$cp_admin" \
    --etcd-endpoints "https://127.0.0.1:$etcd_client" \
    --etcd-ca "$pki/etcd/ca.pem" --etcd-cert "$pki/etcd/etcd-client.pem" --etcd-key "$pki/etcd/etcd-client-key.pem" \
    --tls-cert "$pki/control-plane.pem" --tls-key "$pki/control-plane-key.pem" --tls-ca "$pki/ca.pem" \
    --admin-token-file "$state/admin.token"
  wait_for "the control plane" 30 port_open "$cp_host" "$cp_port"
  wait_for "the admin token" 30 test -s "$state/admin.token"
  "$root/bin/egctl" --config "$state/egctl.yaml" config set-context local --server "$cp_listen" \
    --ca "$pki/ca.pem" --token-file "$state/admin.token" --use >/dev/null

  if [ $examples -eq 1 ]; then
    local backends=()
    for port in "${echo_ports[@]}"; do
      if port_open "$backend_host" "$port"; then
        echo "$backend_host:$port is in use; the example backends need 9095-9097 (or use --no-examples)" >&2
        down
        exit 1
      fi
      backends+=("$backend_host:$port")
    done
    start echo-backends java -cp "$root/testkit/target/testkit.jar" io.edgegate.testkit.EchoBackends "${backends[@]}"
  fi

  local i address addresses=() inside=()
  for i in $(seq 1 "$data_planes"); do
    address="127.0.0.$((i + 1))"
    inside=()
    if [ $hosts -eq 1 ]; then
      address=$(traffic_address_of "node-$i")
      inside=(ip netns exec "$(namespace_of "node-$i")")
    fi
    addresses+=("$address")
    start "node-$i" "${inside[@]}" "$root/bin/data-plane" --node-id "node-$i" --control-plane "$cp_listen" \
      --listen-address "$address" --admin-port "$admin_port" --admin-address "$address" --data-dir "$state/node-$i" --pki-dir "$pki/nodes/node-$i"
  done
  for i in $(seq 1 "$data_planes"); do
    wait_for "node-$i" 60 node_ready "${addresses[$((i - 1))]}"
  done

  if [ $examples -eq 1 ]; then
    wait_for "the echo backends" 20 port_open "$backend_host" 9097
    # --wait: 'up' returns once every node runs the examples, so the curl lines it prints answer at once.
    if [ $hosts -eq 1 ]; then
      # The nodes reach the backends over their traffic link, not on their own loopback.
      local objects="$state/examples"
      mkdir -p "$objects"
      for f in "$root"/examples/*.yaml; do
        sed "s|127\.0\.0\.1:909|$backend_host:909|g" "$f" >"$objects/$(basename "$f")"
      done
      EGCTL_CONFIG="$state/egctl.yaml" "$root/bin/egctl" apply --wait --timeout 60s -f "$objects/"
    else
      EGCTL_CONFIG="$state/egctl.yaml" "$root/bin/egctl" apply --wait --timeout 60s -f "$root/examples/"
    fi
  fi

  echo
  echo "EdgeGate is running: etcd, a control plane on $cp_listen and $data_planes data planes (logs: $logs)."
  if [ $examples -eq 1 ]; then
    echo "Send traffic through any node; each answer names the echo backend that served it:"
    for address in "${addresses[@]}"; do
      echo "  curl http://$address:10080/pipeline"
    done
  fi
  if [ $hosts -eq 1 ]; then
    echo "Each node is a host of its own (network namespaces $(namespace_of node-1) ...): 'deploy/local-cluster.sh partition node-2'"
    echo "  cuts node-2 off from the control plane, 'heal node-2' ends it."
  fi
  echo "egctl uses $state/egctl.yaml (CA and admin token; bin/egctl finds it by itself)."
  echo "Metrics (Prometheus): http://$cp_admin/metrics and http://${addresses[0]}:$admin_port/metrics (each node on its address);"
  echo "  prometheus --config.file=deploy/prometheus/local-cluster.yml scrapes them."
  echo "Cluster console:   http://$cp_admin/ui/ (log in with a token: bin/egctl token create --role viewer --name \$USER)"
  echo "Watch the nodes:   bin/egctl get members"
  echo "See the objects:   bin/egctl get httppipelines -o yaml"
  echo "Stop everything:   deploy/local-cluster.sh down"
}

status() {
  if [ ! -d "$pids" ]; then
    echo "no local cluster has been started here ($state)"
    return 0
  fi
  local f name
  for f in "$pids"/*; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    if alive "$name"; then
      printf '%-16s running (pid %s)\n' "$name" "$(cat "$f")"
    else
      printf '%-16s stopped\n' "$name"
    fi
  done
  if alive control-plane; then
    echo
    EGCTL_CONFIG="$state/egctl.yaml" "$root/bin/egctl" get members || true
  fi
}

down() {
  local purge=0
  [ "${1:-}" = "--purge" ] && purge=1
  if [ -d "$pids" ]; then
    local f pid
    # Data planes and backends first, the control plane and etcd last.
    for f in $(ls "$pids" | grep -v -e '^control-plane$' -e '^etcd$') control-plane etcd; do
      [ -f "$pids/$f" ] || continue
      pid=$(cat "$pids/$f")
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
        echo "stopped $f"
      fi
      rm -f "$pids/$f"
    done
  fi
  hosts_network_down
  if [ $purge -eq 1 ]; then
    rm -rf "$state"
    echo "removed $state"
  fi
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) shift; down "$@" ;;
  status) status ;;
  partition) control_link down "${2:-}" ;;
  heal) control_link up "${2:-}" ;;
  *) usage ;;
esac
