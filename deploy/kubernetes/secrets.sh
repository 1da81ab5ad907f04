#!/usr/bin/env bash
# Makes the Secrets the manifests here mount: a CA and the certificates of etcd, the control plane
# and each data-plane pod (egctl pki init), and an admin token made beforehand. Keeps the CA and
# the token in DIR (kept across runs: run it again to add nodes), prints the Secrets as YAML.
#
#   deploy/kubernetes/secrets.sh [--dir DIR] [--nodes N] > secrets.yaml && kubectl apply -f secrets.yaml
#
# DIR (default ./edgegate-pki) holds the CA's key and admin.token: keep it safe. --nodes is the
# data-plane StatefulSet's replicas (default 3). egctl then reaches the cluster with
#   kubectl -n edgegate port-forward svc/edgegate-control-plane 2381 &
#   egctl config set-context k8s --server 127.0.0.1:2381 --ca DIR/ca.pem --token-file DIR/admin.token --use
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
dir=./edgegate-pki
nodes=3
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
case "$nodes" in ''|*[!0-9]*) echo "--nodes must be a number, got '$nodes'" >&2; exit 2 ;; esac
namespace=edgegate
node_ids=""
for i in $(seq 0 $((nodes - 1))); do node_ids="$node_ids${node_ids:+,}edgegate-data-plane-$i"; done
hosts="127.0.0.1,localhost"
for service in edgegate-control-plane edgegate-etcd edgegate-etcd-0.edgegate-etcd; do
  hosts="$hosts,$service,$service.$namespace,$service.$namespace.svc,$service.$namespace.svc.cluster.local"
done
mkdir -p "$dir"
chmod 700 "$dir"
"$root/bin/egctl" pki init --dir "$dir" --host "$hosts" ${node_ids:+--nodes "$node_ids"} >/dev/null
if [ ! -s "$dir/admin.token" ]; then
  # egt_<name>.<secret>: 32 random bytes, as the control plane makes its own tokens.
  (umask 077 && printf 'egt_kubernetes-admin.%s\n' "$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=\n')" >"$dir/admin.token")
fi

secret() { # name, then key=file pairs
  local name=$1 pair
  shift
  printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n    app.kubernetes.io/part-of: edgegate\ntype: Opaque\ndata:\n' "$name" "$namespace"
  for pair in "$@"; do
    printf '  %s: %s\n' "${pair%%=*}" "$(base64 -w0 <"${pair#*=}")"
  done
}
secret edgegate-etcd-tls ca.pem="$dir/etcd/ca.pem" etcd-server.pem="$dir/etcd/etcd-server.pem" \
  etcd-server-key.pem="$dir/etcd/etcd-server-key.pem"
secret edgegate-etcd-client-tls ca.pem="$dir/etcd/ca.pem" etcd-client.pem="$dir/etcd/etcd-client.pem" \
  etcd-client-key.pem="$dir/etcd/etcd-client-key.pem"
secret edgegate-control-plane-tls ca.pem="$dir/ca.pem" control-plane.pem="$dir/control-plane.pem" \
  control-plane-key.pem="$dir/control-plane-key.pem"
secret edgegate-admin-token admin.token="$dir/admin.token"
pairs=(ca.pem="$dir/ca.pem")
for i in $(seq 0 $((nodes - 1))); do
  pairs+=("edgegate-data-plane-$i.pem=$dir/nodes/edgegate-data-plane-$i/node.pem")
  pairs+=("edgegate-data-plane-$i-key.pem=$dir/nodes/edgegate-data-plane-$i/node-key.pem")
done
secret edgegate-node-tls "${pairs[@]}"
