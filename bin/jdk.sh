# Sourced by run-local.sh, run-tests.sh and .ci/run: finds a JDK >= 21 and exports JAVA_HOME, or fails loudly.
# Order: $JAVA_HOME, the `java` on PATH, then the usual install folders (Debian/Ubuntu, RPM, SDKMAN, macOS).

java_major() { # prints the feature version of the java binary given
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1 | cut -d. -f1
}

genpipe_find_jdk() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$c")
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      v=$(java_major "$c/bin/java")
      if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null; then
        export JAVA_HOME="$c"
        export PATH="$JAVA_HOME/bin:$PATH"
        return 0
      fi
    fi
  done
  echo "ERROR: GenPipe needs a JDK 21 or newer and none was found." >&2
  echo "       Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}

genpipe_find_jdk || exit 1
if ! command -v mvn >/dev/null 2>&1; then
  echo "ERROR: Maven (mvn) is not on the PATH. Install Maven 3.8+ (e.g. 'apt-get install maven')." >&2
  exit 1
fi
echo "Using JDK $(java_major "$JAVA_HOME/bin/java") at $JAVA_HOME" >&2
