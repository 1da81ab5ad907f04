#!/usr/bin/env bash
# Makes sure the programs the tests drive are installed, installing Debian's packages for the
# missing ones: etcd (the store), curl with HTTP/2 and openssl (real TLS/HTTP/2 clients),
# prometheus (a real server scrapes the cluster's /metrics), systemd's systemd-analyze (checks
# the units in deploy/systemd), iproute2's ip (hosts of their own in network namespaces) and
# chromium with its chromedriver (a headless browser drives the cluster console).
set -euo pipefail
missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing ${missing[*]} (Debian packages) for the tests ..." >&2
# chromium is installed with what its libraries recommend (fonts, the GPU and D-Bus helpers), as the
# console test was run with; the others without.
install() {
  local browser=() other=() package
  for package in "$@"; do
    case "$package" in chromium*) browser+=("$package") ;; *) other+=("$package") ;; esac
  done
  apt-get update -qq
  if [ ${#other[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${other[@]}" >/dev/null
  fi
  if [ ${#browser[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${browser[@]}" >/dev/null
  fi
}
if [ "$(id -u)" -eq 0 ]; then
  install "${missing[@]}"
elif command -v sudo >/dev/null 2>&1; then
  sudo bash -c "$(declare -f install); install ${missing[*]}"
else
  echo "cannot install ${missing[*]}: run as root or install them yourself" >&2
  exit 1
fi
for tool in etcd curl openssl prometheus systemd-analyze ip chromium chromedriver; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is still missing after installing its package" >&2; exit 1; }
done
