#!/bin/sh
# Brings up what the docker tests need, idempotently: packages, dockerd (overlay2, else vfs;
# no iptables, no bridge), a registry on 127.0.0.1:5000 (no auth, storage in a temp dir), and the local
# base image busybox-base:latest (nothing can be pulled here). Exits 0 when ready.
set -eu

STATE=${CHALK_DOCKER_STATE:-/tmp/chalk-docker-test}
mkdir -p "$STATE"

need_pkgs=""
command -v dockerd >/dev/null 2>&1 || need_pkgs="$need_pkgs docker.io"
command -v docker-registry >/dev/null 2>&1 || need_pkgs="$need_pkgs docker-registry"
[ -x /bin/busybox ] || need_pkgs="$need_pkgs busybox-static"
if [ -n "$need_pkgs" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "start_docker: missing$need_pkgs and not root" >&2
    exit 1
  fi
  apt-get update -q >"$STATE/apt.log" 2>&1
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need_pkgs >>"$STATE/apt.log" 2>&1
fi

wait_for() { # seconds, command...
  n=$1
  shift
  while [ "$n" -gt 0 ]; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
    n=$((n - 1))
  done
  return 1
}

# Runs a command in the background, logging to a file, without the caller's descriptors: the
# daemons outlive this script, and a `flock FILE` around the test run would stay locked by them.
# (sh names descriptors up to 9 only.)
detached() { # log file, command...
  log=$1
  shift
  (
    for fd in 3 4 5 6 7 8 9; do eval "exec $fd>&-"; done
    exec nohup "$@" >"$log" 2>&1 </dev/null
  ) &
}

start_dockerd() { # storage driver; fails as soon as dockerd exits (a driver it cannot use)
  detached "$STATE/dockerd-$1.log" dockerd --storage-driver="$1" --iptables=false --bridge=none
  pid=$!
  echo "$pid" >"$STATE/dockerd.pid"
  n=60
  while [ "$n" -gt 0 ]; do
    if docker info >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
    n=$((n - 1))
  done
  return 1
}

# overlay2 where the kernel and file system allow it (a new layer costs milliseconds, not a
# copy of the whole file system as with vfs), vfs otherwise.
if ! docker info >/dev/null 2>&1; then
  if ! start_dockerd overlay2; then
    kill "$pid" 2>/dev/null || true
    wait_for 30 sh -c "! kill -0 $pid" || true
    if ! start_dockerd vfs; then
      echo "start_docker: dockerd did not start (see $STATE/dockerd-*.log)" >&2
      exit 1
    fi
  fi
fi

registry_up() { curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; }
if ! registry_up; then
  mkdir -p "$STATE/registry"
  cat >"$STATE/registry.yml" <<CFG
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
CFG
  detached "$STATE/registry.log" docker-registry serve "$STATE/registry.yml"
  if ! wait_for 30 registry_up; then
    echo "start_docker: registry did not start (see $STATE/registry.log)" >&2
    exit 1
  fi
fi

if ! docker image inspect busybox-base:latest >/dev/null 2>&1; then
  root="$STATE/rootfs"
  rm -rf "$root"
  mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
  echo "nobody:x:65534:65534:nobody:/:/bin/sh" >>"$root/etc/passwd"
  echo "root:x:0:" >"$root/etc/group"
  echo "nogroup:x:65534:" >>"$root/etc/group"
  tar -C "$root" -cf "$STATE/rootfs.tar" .
  docker import -c 'ENV PATH=/bin' "$STATE/rootfs.tar" busybox-base:latest >/dev/null
  rm -rf "$root" "$STATE/rootfs.tar"
fi
echo "start_docker: ready"
