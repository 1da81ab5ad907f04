#!/usr/bin/env bash
# Makes sure an etcd server is on PATH, installing Debian's etcd-server when it is missing.
set -euo pipefail
if command -v etcd >/dev/null 2>&1; then
  exit 0
fi
echo "etcd is not installed; installing Debian's etcd-server ..." >&2
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
else
  echo "cannot install etcd: run as root or install etcd-server (or any etcd 3.4+) yourself" >&2
  exit 1
fi
command -v etcd >/dev/null 2>&1 || { echo "etcd still not found after installing etcd-server" >&2; exit 1; }
