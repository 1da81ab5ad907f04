#!/usr/bin/env bash
# Builds EdgeGate's container image without a container daemon: the distribution of deploy/dist.sh
# (its own jlink runtime, launchers, control plane, data plane and egctl) on a minimal root made
# from this Debian host's files — the C library and what the runtime and the launchers' bash,
# sed and coreutils link, nothing else: no package manager, no shell tools beyond those.
# The image runs as user 65532 and needs only /tmp and /var/lib/edgegate writable, so it works with
# a read-only root filesystem (deploy/kubernetes mounts both as emptyDir volumes).
#
#   deploy/image.sh [--out DIR] [--tag NAME:TAG]
#
# Writes DIR/edgegate-image-<version>.tar (default DIR: dist/), an archive 'docker load',
# 'podman load' and 'ctr images import' take, holding both an OCI image layout and Docker's
# manifest.json; prints its path. Default tag: edgegate:<version>.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/dist"
tag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
[ "$(uname -m)" = x86_64 ] || { echo "image: builds linux/amd64 images on an x86-64 host only" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
dist=$("$root/deploy/dist.sh" --out "$out" | tail -1)
version=${dist##*/edgegate-}
tag=${tag:-edgegate:$version}
user=65532

work=$(mktemp -d "${TMPDIR:-/tmp}/edgegate-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
base="$work/base"
mkdir -p "$base"/{etc,tmp,proc,sys,dev,var/lib/edgegate,opt}
chmod 1777 "$base/tmp"

# The libraries the given programs link (ldd's closure), at the paths they have here; the
# distribution's own libraries come with it.
copy_libraries_of() {
  local lib
  for lib in $(for file in "$@"; do ldd "$file" 2>/dev/null; done | awk '/=> \// { print $3 } /^[ \t]*\/[^ ]*ld-linux/ { print $1 }' | sort -u); do
    case "$lib" in "$dist"/*) continue ;; esac
    [ -e "$base$lib" ] || cp --parents -L "$lib" "$base/"
  done
}
# The runtime's libraries but AWT's windowing, sound and image ones (a server never draws; java.desktop
# is there for java.beans), which would pull in X11.
runtime_libs=()
for lib in "$dist"/runtime/bin/java "$dist"/runtime/lib/*.so "$dist"/runtime/lib/server/*.so; do
  case "$lib" in */libawt_xawt.so|*/libjawt.so|*/libsplashscreen.so|*/libjsound.so|*/libfontmanager.so|*/liblcms.so|*/libjavajpeg.so|*/libmlib_image.so) continue ;; esac
  runtime_libs+=("$lib")
done
copy_libraries_of "${runtime_libs[@]}"
# The native libraries inside the jars (Netty's epoll, netty-tcnative's BoringSSL, brotli4j) link
# more of the C library (libdl, libpthread, ...) than the runtime does.
natives="$work/natives"
mkdir -p "$natives"
for jar in "$dist"/data-plane/lib/*.jar "$dist"/control-plane/lib/*.jar; do
  names=$(jar tf "$jar" | grep -E 'linux[-_]?x86[-_]64.*\.so$|x86_64\.so$' || true)
  if [ -n "$names" ]; then
    # shellcheck disable=SC2086
    (cd "$natives" && jar xf "$jar" $names)
  fi
done
mapfile -t native_libs < <(find "$natives" -name '*.so')
[ ${#native_libs[@]} -gt 0 ] || { echo "image: found no native libraries in the jars" >&2; exit 1; }
copy_libraries_of "${native_libs[@]}"
# What the launchers run.
launcher_tools=(/usr/bin/bash /usr/bin/env /usr/bin/sed /usr/bin/readlink /usr/bin/dirname)
cp --parents -L "${launcher_tools[@]}" "$base/"
copy_libraries_of "${launcher_tools[@]}"
mkdir -p "$base/bin"
ln -sf /usr/bin/bash "$base/bin/bash"
ln -sf /usr/bin/bash "$base/bin/sh"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nedgegate:x:%s:%s:EdgeGate:/var/lib/edgegate:/usr/sbin/nologin\n' "$user" "$user" >"$base/etc/passwd"
printf 'root:x:0:\nedgegate:x:%s:\n' "$user" >"$base/etc/group"
printf 'hosts: files dns\n' >"$base/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$base/etc/hosts"

app="$work/app"
mkdir -p "$app/opt"
cp -a "$dist" "$app/opt/edgegate"

blobs="$work/archive/blobs/sha256"
mkdir -p "$blobs"
# Layers as plain tars (a loader then checks each against its digest), the same bytes on every build.
layer() { # staging dir, then tar options -> prints the layer's digest
  local staging=$1 tarfile="$work/layer.tar" digest
  shift
  tar -C "$staging" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 "$@" -cf "$tarfile" .
  digest=$(sha256sum "$tarfile" | cut -d' ' -f1)
  mv "$tarfile" "$blobs/$digest"
  echo "$digest"
}
base_layer=$(layer "$base" --exclude=./var)
# /var/lib/edgegate, the default state folder, owned by the user the image runs as.
state_tar="$work/state.tar"
tar -C "$base" --mtime=@0 --numeric-owner --owner=0 --group=0 --no-recursion -cf "$state_tar" ./var ./var/lib
tar -C "$base" --mtime=@0 --numeric-owner --owner="$user" --group="$user" --mode=0700 --no-recursion -rf "$state_tar" ./var/lib/edgegate
state_layer=$(sha256sum "$state_tar" | cut -d' ' -f1)
mv "$state_tar" "$blobs/$state_layer"
app_layer=$(layer "$app")
layers=("$base_layer" "$state_layer" "$app_layer")

size() { stat -c %s "$1"; }
json_list() { local first=1 item; printf '['; for item in "$@"; do [ $first -eq 1 ] || printf ','; first=0; printf '%s' "$item"; done; printf ']'; }
diff_ids=(); layer_descriptors=(); docker_layers=()
for digest in "${layers[@]}"; do
  diff_ids+=("\"sha256:$digest\"")
  layer_descriptors+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$digest\",\"size\":$(size "$blobs/$digest")}")
  docker_layers+=("\"blobs/sha256/$digest\"")
done
config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\",\"config\":{\"User\":\"$user:$user\",\
\"Env\":[\"PATH=/opt/edgegate/bin:/opt/edgegate/runtime/bin:/usr/bin:/bin\",\"JAVA_HOME=/opt/edgegate/runtime\"],\
\"WorkingDir\":\"/var/lib/edgegate\",\"Cmd\":[\"/opt/edgegate/bin/data-plane\",\"--help\"],\
\"ExposedPorts\":{\"2381/tcp\":{},\"9900/tcp\":{},\"9901/tcp\":{},\"10080/tcp\":{}},\
\"Labels\":{\"org.opencontainers.image.title\":\"EdgeGate\",\"org.opencontainers.image.version\":\"$version\"}},\
\"rootfs\":{\"type\":\"layers\",\"diff_ids\":$(json_list "${diff_ids[@]}")},\
\"history\":[{\"created_by\":\"deploy/image.sh: C library, bash and coreutils from the build host\"},\
{\"created_by\":\"deploy/image.sh: /var/lib/edgegate for user $user\"},{\"created_by\":\"deploy/image.sh: deploy/dist.sh's distribution\"}]}"
printf '%s' "$config" >"$work/config.json"
config_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$blobs/$config_digest"
manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config_digest\",\"size\":$(size "$blobs/$config_digest")},\
\"layers\":$(json_list "${layer_descriptors[@]}")}"
printf '%s' "$manifest" >"$work/manifest.json"
manifest_digest=$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
mv "$work/manifest.json" "$blobs/$manifest_digest"
repository=${tag%:*}
case "$repository" in */*) ;; *) repository="docker.io/library/$repository" ;; esac
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s:%s","org.opencontainers.image.ref.name":"%s"}}]}' \
  "$manifest_digest" "$(size "$blobs/$manifest_digest")" "$repository" "${tag##*:}" "${tag##*:}" >"$work/archive/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' >"$work/archive/oci-layout"
printf '[{"Config":"blobs/sha256/%s","RepoTags":["%s"],"Layers":%s}]' "$config_digest" "$tag" "$(json_list "${docker_layers[@]}")" \
  >"$work/archive/manifest.json"
image="$out/edgegate-image-$version.tar"
tar -C "$work/archive" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -cf "$image" .
echo "$image"
