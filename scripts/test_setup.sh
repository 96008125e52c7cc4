#!/bin/sh
# Prepares this machine for the test suite; `deno task test` runs it first.
#
# Installs the Debian packages the tests drive for real when one is missing (as root only;
# `apt-get update` runs only then), and starts dockerd and the registry on 127.0.0.1:5000
# (tests/docker/start_docker.sh). Idempotent: on a ready machine it only checks. Not root and
# something missing: it prints one line per missing piece and carries on; the tests that need
# it then skip (docker, static or shared ELF builds) or fail naming the tool (see README.md).
set -eu
cd "$(dirname "$0")/.."

pkgs=""  # Debian packages to install
notes="" # one line per missing piece, for a user who is not root
need() { # package(s), what the tests use them for
  pkgs="$pkgs $1"
  notes="${notes}test_setup: missing Debian package $1 ($2); install it as root
"
}
have() { command -v "$1" >/dev/null 2>&1; }

have cc || need build-essential "a C compiler for the ELF tests"
have readelf || need binutils "readelf, strings, objcopy as ELF references"
have git || need git "fixture repositories"
have curl || need curl "the registry probe"
have openssl || need openssl "TLS certificates and digest references"
[ -x /usr/bin/chromium ] || need chromium "the dashboard screenshot test"
/usr/bin/python3 -c 'import botocore' >/dev/null 2>&1 ||
  need python3-botocore "the SigV4 reference of the S3 sink test"
have musl-gcc || need "musl musl-tools" "the musl base image of the entrypoint-wrapping tests"
have dockerd || need docker.io "the docker tests"
have docker-registry || need docker-registry "the docker push tests"
[ -x /bin/busybox ] || need busybox-static "the docker tests' base image"
have zsh || need zsh "the zsh completion script test"
have fish || need fish "the fish completion script test"
have zip || need zip "the encrypted-archive test"
have unzip || need unzip "unzip -t on marked archives"
/usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null ||
  need python3-venv "pip install of a marked wheel into a temporary venv"
have llvm-objdump || need llvm "llvm-objdump reads the Mach-O load commands chalk writes"
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 ||
  need postgresql "the report server's PostgreSQL backend (tests start their own cluster)"

if [ -n "$pkgs" ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "test_setup: installing$pkgs" >&2
    log=$(mktemp)
    # shellcheck disable=SC2086 # word splitting wanted: one argument per package
    if apt-get update -qq >"$log" 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >>"$log" 2>&1; then
      rm -f "$log"
    else
      echo "test_setup: apt-get failed (log: $log)" >&2
    fi
  else
    printf '%s' "$notes" >&2
  fi
fi

# dockerd and the registry. As root start_docker.sh brings them up; otherwise they must be up.
if [ "$(id -u)" = 0 ]; then
  sh tests/docker/start_docker.sh >/dev/null || echo "test_setup: docker is not ready" >&2
elif ! docker info >/dev/null 2>&1; then
  echo "test_setup: dockerd is not reachable (start it as root: sh tests/docker/start_docker.sh)" >&2
fi
exit 0
