# Sourced by ./atomstore, ./run-tests, ./mvnw and the distribution's bin/atomstore (POSIX sh: mvnw runs under
# dash): sets JAVA_HOME to a JDK >= 25 or stops with a message.
# Order: JAVA_HOME if it is >= 25, then the java on PATH if it is >= 25, then the newest JDK >= 25 under
# /usr/lib/jvm. Building needs javac; a caller that only runs (the distribution) sets ATOMSTORE_JDK_TOOL=java
# first, so a JRE will do.
atomstore_jdk_major() {
  local v=""
  # The JDK's release file names its version; reading it spares starting a JVM (~0.2 s) on every command.
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release")
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  fi
  echo "${v%%.*}"
}
atomstore_find_jdk() {
  local candidate major best="" best_major=0 tool="${ATOMSTORE_JDK_TOOL:-javac}"
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$tool" ]; then
    major=$(atomstore_jdk_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then return 0; fi
  fi
  candidate=$(command -v java 2>/dev/null || true)
  if [ -n "$candidate" ]; then
    candidate=$(readlink -f "$candidate" 2>/dev/null || printf '%s\n' "$candidate")
    candidate=${candidate%/bin/java}
    major=$(atomstore_jdk_major "$candidate")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null && [ -x "$candidate/bin/$tool" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/$tool" ] || continue
    major=$(atomstore_jdk_major "$candidate")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "atomstore: needs a JDK 25 or newer (found none in JAVA_HOME, on PATH or in /usr/lib/jvm)." >&2
    echo "  Install one, e.g. 'apt-get install openjdk-25-jdk' or a Temurin 25 JDK, or set JAVA_HOME to it." >&2
    exit 3
  fi
  export JAVA_HOME="$best"
}
atomstore_find_jdk
