# Sourced by bin/data-plane, bin/control-plane and bin/egctl: where the program and the Java runtime
# are, and the JVM settings of a long-running server that shares its host, so a user need not know
# them (bench/memory.sh measures them). Options the user gives come after these, so theirs win.

# A distribution (deploy/dist.sh) keeps each program in <root>/<program>/ beside a Java runtime of
# its own in <root>/runtime; a build keeps them in <root>/<program>/target and uses the java on PATH.
program_jar() { # program name -> its jar
  if [ -f "$root/$1/$1.jar" ]; then
    echo "$root/$1/$1.jar"
  else
    echo "$root/$1/target/$1.jar"
  fi
}

require_jar() { # program name, jar: stops with how to build it when it is missing
  if [ ! -f "$2" ]; then
    echo "$1: $2 is missing; build first: (cd $root && mvn -q -DskipTests package)" >&2
    exit 127
  fi
}

java_command() { # the java to run: the distribution's own runtime, else the one on PATH
  if [ -x "$root/runtime/bin/java" ]; then
    echo "$root/runtime/bin/java"
  else
    command -v java || echo java
  fi
}

# glibc gives every thread that allocates its own malloc arena, and keeps what the JIT compilers
# freed in them: two arenas hold the same work in ~30 MB less resident memory.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

server_jvm_options() { # the user's options -> the defaults to put before them
  local options=()
  # G1 (it kept the most requests/s of the collectors measured with a heap the JVM sizes); when
  # nothing collected for 30 s, a periodic collection hands unused heap back to the system, so a
  # node that had a burst of load does not hold its peak for ever. A user's collector replaces it.
  local option collector=(-XX:+UseG1GC -XX:G1PeriodicGCInterval=30000)
  for option in "$@"; do
    case "$option" in -XX:+Use*GC) collector=() ;; esac
  done
  options+=("${collector[@]}")
  # Netty's allocator declares Flight Recorder events, and merely loading them starts up JFR's machinery:
  # ~0.2 s of every start, for events only a profiling session reads (it can turn them back on).
  options+=(-Dio.netty.jfr.enabled=false)
  # Netty's leak detector samples one buffer in 128 and records a stack trace on its allocation and
  # release: ~1.5 % of a proxying node's CPU under load (JFR counted ~480 traces/s at 19k req/s). The
  # tests run with it on; an operator chasing a leak sets -Dio.netty.leakDetection.level=advanced.
  options+=(-Dio.netty.leakDetection.level=disabled)
  # Return freed native memory (the JIT's peaks) to the system every 5 s: JDK 17.0.9+, 21.0.1+ and 22+.
  # The JDK's release file says which one this is; asking a JVM would add ~0.25 s to every start.
  if trims_native_heap "$(java_command)"; then
    options+=(-XX:TrimNativeHeapInterval=5000)
  fi
  echo "${options[@]}"
}

trims_native_heap() { # java command -> whether that java has -XX:TrimNativeHeapInterval
  local java release version major minor update
  java=$(readlink -f "$1") || return 1
  release="$(dirname "$(dirname "$java")")/release"
  [ -f "$release" ] || return 1
  version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$release")
  IFS=. read -r major minor update <<<"$version"
  case "$major" in
    17) [ "${update:-0}" -ge 9 ] ;;
    21) [ "${update:-0}" -ge 1 ] ;;
    *) [ "$major" -ge 22 ] 2>/dev/null ;;
  esac
}

class_data_options() { # jar, archive -> the options that start the JVM from the build's class-data archive
  # The archive (AppCDS, written by the build's training run) holds the program's classes already
  # parsed and verified. One older than its jar, or of another JDK, would be refused by the JVM
  # anyway; that refusal is not worth a warning on every start.
  if [ -f "$2" ] && [ "$2" -nt "$1" ]; then
    echo "-XX:SharedArchiveFile=$2 -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
}
