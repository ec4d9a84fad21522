# Shared by bin/vigil, bin/test and .ci/run. Source it; it defines functions only.
# vigil_find_java: sets JAVA_HOME to a JDK >= 21 (JAVA_HOME if good enough, else the newest
# under /usr/lib/jvm) or explains exactly what to install and returns 1.

VIGIL_MIN_JAVA=21

vigil_java_major() { # $1 = java binary; prints the feature version (17, 21, 25, ...)
  # The JDK's release file says it without starting a JVM (each start costs ~70 ms per command).
  local release; release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*"$/\2/p' "$release" | head -n1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9.]*\)$/\1/p' | head -n1 | sed 's/^1\.//'
}

vigil_find_java() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(vigil_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$VIGIL_MIN_JAVA" ]; then export JAVA_HOME; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(vigil_java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge "$VIGIL_MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -n "$best" ]; then export JAVA_HOME="$best"; return 0; fi
  cat >&2 <<MSG
vigil: no JDK ${VIGIL_MIN_JAVA} or newer found (JAVA_HOME='${JAVA_HOME:-}', and none under /usr/lib/jvm).
Install one, for example:  apt-get install openjdk-21-jdk-headless   (or Temurin 21+),
or point JAVA_HOME at a JDK >= ${VIGIL_MIN_JAVA}.
MSG
  return 1
}

vigil_need_maven() {
  # Maven 3.8's own Guice/Guava warn loudly on JDK 24+; keep the build output readable.
  export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow -XX:+IgnoreUnrecognizedVMOptions}"
  command -v mvn >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "vigil: installing Maven (apt-get install maven)..." >&2
    vigil_apt_install maven && return 0
  fi
  echo "vigil: Apache Maven is needed to build; install it: apt-get install maven" >&2
  return 1
}

# vigil_apt_install PKG...: installs the Debian packages that are missing (root only).
vigil_apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" != 0 ]; then
    echo "vigil: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
  echo "vigil: installing ${missing[*]} ..." >&2
  if [ ! -f /var/lib/apt/lists/.vigil-updated ] || [ -n "$(find /var/lib/apt/lists/.vigil-updated -mmin +1440 2>/dev/null)" ]; then
    apt-get update -q >&2 && touch /var/lib/apt/lists/.vigil-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# vigil_build_if_needed ROOT: (re)builds target/vigil.jar when any source or the pom is newer.
vigil_build_if_needed() {
  local root="$1" jar="$1/target/vigil.jar"
  if [ -f "$jar" ] && [ -d "$root/target/lib" ] && \
     [ -z "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  vigil_need_maven || return 1
  echo "vigil: building (mvn package -DskipTests)..." >&2
  # Maven 3.8 emits bare colour resets even in batch mode; strip them from what the user sees.
  (set -o pipefail; cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests package 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g' >&2) || { echo "vigil: build failed" >&2; return 1; }
}

# vigil_cli_jvm_opts ROOT: sets the array VIGIL_CLI_OPTS for a short-lived CLI JVM: serial GC,
# C1 only, and a class cache. On JDK >= 25 that is an AOT cache (JEP 483/514: classes loaded and
# linked ahead of time), made once per build by a training run of `vigil simulate` on a small generated CIB
# (bin/lib/aot-training-cib.xml, from bench/scheduler/gen_cib.py 3 20); older JDKs get a dynamic class-data archive that the JVM writes on first use.
# Either roughly halves start-up; both are rebuilt when the jar is newer.
vigil_cli_jvm_opts() {
  local root="$1" major aot="$1/target/vigil-cli.aot" cp="$1/target/vigil.jar:$1/target/lib/*"
  VIGIL_CLI_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)
  major=$(vigil_java_major "$JAVA_HOME/bin/java")
  if [ "$major" -ge 25 ]; then
    if [ ! -f "$aot" ] || [ "$root/target/vigil.jar" -nt "$aot" ]; then
      rm -f "$aot"
      "$JAVA_HOME/bin/java" "${VIGIL_CLI_OPTS[@]}" -XX:AOTCacheOutput="$aot" -Xlog:aot=off -Xlog:cds=off \
        -cp "$cp" io.vigil.cli.Main simulate --cib "$root/bin/lib/aot-training-cib.xml" >/dev/null 2>&1 || rm -f "$aot"
    fi
    if [ -f "$aot" ]; then
      VIGIL_CLI_OPTS+=(-XX:AOTCache="$aot" -Xlog:aot=off -Xlog:cds=off)
      return 0
    fi
  fi
  VIGIL_CLI_OPTS+=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$root/target/vigil-cli.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
}
