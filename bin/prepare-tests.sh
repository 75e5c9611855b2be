# Sourced by run-tests.sh: makes sure everything the suite needs beyond the JDK and Maven is on this machine, or
# stops with the exact command that installs it. Nothing is optional: the browser tests, the benchmark harness and
# the ops checks all run, and a missing tool is a failure, not a skip.
#   Debian packages: chromium (web console tests), docker-compose (offline compose validation), prometheus
#                    (promtool: alert rules and their unit tests), kubectl (kustomize of ops/k8s), nodejs + npm.
#                    Installed with apt-get when running as root; otherwise the script names the command.
#   npm packages:    console-tests (playwright-core) and bench/bullmq (BullMQ), from their lock files with `npm ci`,
#                    again whenever a lock file is newer than the installed tree.

genpipe_missing_debian_packages() {
  local -a missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  echo "${missing[*]}"
}

genpipe_install_debian_packages() {
  local missing
  missing=$(genpipe_missing_debian_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "prepare: installing Debian packages the suite needs: $missing" >&2
    # shellcheck disable=SC2086
    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
          $missing) >/tmp/genpipe-apt.log 2>&1; then
      echo "ERROR: apt-get could not install: $missing (log: /tmp/genpipe-apt.log)" >&2
      tail -n 20 /tmp/genpipe-apt.log >&2
      return 1
    fi
    missing=$(genpipe_missing_debian_packages)
    [ -z "$missing" ] && return 0
  fi
  echo "ERROR: the test suite needs these tools, which are not installed: $missing" >&2
  echo "       On Debian/Ubuntu run:  sudo apt-get install --no-install-recommends $missing" >&2
  echo "       (elsewhere install the equivalents: Chromium, docker-compose v1 or v2, Prometheus' promtool," >&2
  echo "       kubectl, Node.js 18+ with npm; set CHROMIUM_PATH if chromium is not /usr/bin/chromium)" >&2
  return 1
}

# npm ci in $1 unless its node_modules is at least as new as its package-lock.json
genpipe_npm_ci() {
  local dir=$1 stamp=$1/node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ ! "$dir/package-lock.json" -nt "$stamp" ]; then
    return 0
  fi
  echo "prepare: npm ci in $dir" >&2
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "ERROR: npm ci failed in $dir (is the npm registry reachable?). Run: (cd $dir && npm ci)" >&2
    return 1
  fi
}

genpipe_install_debian_packages || exit 1
genpipe_npm_ci console-tests || exit 1
genpipe_npm_ci bench/bullmq || exit 1
