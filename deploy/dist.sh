#!/usr/bin/env bash
# Builds a self-contained distribution of EdgeGate for Linux x86-64: the three programs with their
# libraries, the launchers, the examples, the systemd units and a Java runtime of their own made by
# jlink (only the JDK modules they use, ~70 MB instead of a whole JDK), so a host needs no Java.
#
#   deploy/dist.sh [--out DIR]    (default: dist/ under the project)
#
# Prints the folder it made (<out>/edgegate-<version>) and writes <out>/edgegate-<version>-linux-x64.tar.gz.
# Builds the project first when its jars are missing. Needs a JDK with jmods (Debian's
# openjdk-17-jdk-headless has them).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

programs=(control-plane data-plane egctl)
for program in "${programs[@]}"; do
  if [ ! -f "$root/$program/target/$program.jar" ]; then
    (cd "$root" && mvn -B -q -DskipTests package)
    break
  fi
done
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -1)
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")
if [ ! -d "$java_home/jmods" ]; then
  echo "dist: $java_home has no jmods; install the JDK's jmods (Debian: openjdk-17-jdk-headless)" >&2
  exit 1
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
dist="$out/edgegate-$version"
rm -rf "$dist"
mkdir -p "$dist/bin/lib"
cp "$root"/bin/control-plane "$root"/bin/data-plane "$root"/bin/egctl "$dist/bin/"
cp "$root"/bin/lib/server-jvm.sh "$dist/bin/lib/"
for program in "${programs[@]}"; do
  mkdir -p "$dist/$program"
  cp "$root/$program/target/$program.jar" "$dist/$program/"
  cp -r "$root/$program/target/lib" "$dist/$program/lib"
  if [ -d "$root/$program/target/native" ]; then
    cp -r "$root/$program/target/native" "$dist/$program/native"
  fi
done
cp -r "$root/examples" "$dist/examples"
cp -r "$root/deploy/systemd" "$dist/systemd"

# The JDK modules the programs need (jdeps --print-module-deps over their jars), plus what they load
# by name: the EC and DNS providers for TLS and name lookups, java.xml for logback's configuration,
# JFR and JMX for profiles and the JVM's metrics.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http
modules=$modules,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver
modules=$modules,jdk.jfr,jdk.management,jdk.management.jfr,jdk.naming.dns,jdk.unsupported,jdk.zipfs
"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive --output "$dist/runtime" >&2

# The class-data archives of the data plane and egctl, made by this runtime (an archive fits only the
# JVM that wrote it), egctl's with its launcher's flags.
EDGEGATE_LOG_LEVEL=ERROR "$dist/runtime/bin/java" -XX:ArchiveClassesAtExit="$dist/data-plane/data-plane.jsa" \
  -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$dist/data-plane/data-plane.jar" io.edgegate.dataplane.ClassDataTraining >&2
EGCTL_LOG_LEVEL=ERROR "$dist/runtime/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k \
  -XX:ArchiveClassesAtExit="$dist/egctl/egctl.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -cp "$dist/egctl/egctl.jar" io.edgegate.egctl.ClassDataTraining >&2

# The programs share most libraries (Netty, gRPC, Jackson): one copy on disk and in the tarball.
for program in control-plane egctl; do
  for jar in "$dist/$program"/lib/*.jar; do
    shared="$dist/data-plane/lib/$(basename "$jar")"
    if [ -f "$shared" ] && cmp -s "$jar" "$shared"; then
      ln -f "$shared" "$jar"
    fi
  done
done

tar -C "$out" -czf "$out/edgegate-$version-linux-x64.tar.gz" "edgegate-$version"
echo "$dist"
