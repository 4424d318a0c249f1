#!/usr/bin/env bash
# The README's main command: on a fresh Debian machine, as root, brings the demo stack
# (compose.yaml here) up with --wait, shows it working, brings it down with its volume, and
# checks that nothing of it is left. Installs what it needs with apt-get (busybox-static,
# libseccomp2, tini), or says exactly what to install; builds tscompose when the checkout has no build.
# The engine gets a state root of its own in a temp dir (stopped and removed at the end), so the
# machine's own engine, if any, is left alone. DEMO_PORT picks the host port (8080 by default).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export DEMO_PORT=${DEMO_PORT:-8080}

say() { printf '\n== %s\n' "$*"; }
die() {
  echo "run.sh: $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || die "run as root: the engine makes namespaces, mounts, cgroups and bridges"

say "what the demo needs"
missing=()
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || missing+=(busybox-static)
dpkg-query -W -f='${Status}' libseccomp2 2>/dev/null | grep -q 'ok installed' || missing+=(libseccomp2)
dpkg-query -W -f='${Status}' tini 2>/dev/null | grep -q 'ok installed' || missing+=(tini) # init: true
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "install these packages first: ${missing[*]}"
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed (try apt-get update first)"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 20 ] ||
  die "Node.js 20 or newer is needed (Debian 12's nodejs is 18): install it from https://nodejs.org or NodeSource, then run again"
echo "busybox-static, libseccomp2, tini and Node.js $(node --version): ok"

if [ ! -f "$repo/dist/src/commands/up.js" ]; then
  say "building tscompose"
  (cd "$repo" && { [ -d node_modules ] || npm ci; } && npm run build)
fi

work=$(mktemp -d /tmp/tscompose-demo-XXXXXX)
export TSCOMPOSE_ROOT="$work/root" TSCOMPOSE_RUNROOT="$work/run"
t() { node "$repo/bin/run.js" "$@"; }
tc() { t --project-directory "$here" -f "$here/compose.yaml" "$@"; }
cleanup() {
  status=$?
  if [ -S "$TSCOMPOSE_RUNROOT/engine.sock" ]; then
    tc down -v -t 0 >/dev/null 2>&1 || true
    t engine stop >/dev/null 2>&1 || true
  fi
  # The engine's default bridge stays while the engine is down, as docker0 does: this root is gone.
  tag=$(printf %s "$TSCOMPOSE_ROOT" | sha256sum | cut -c1-6)
  for link in $(ip -o link show 2>/dev/null | sed -n "s/^[0-9]*: \(tsc$tag-[0-9a-f]*\)[:@].*/\1/p"); do
    ip link del "$link" 2>/dev/null || true
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

say "an image from Debian's busybox-static (no builder: a root file system tar, imported)"
"$here/make-image.sh" "$work/rootfs.tar"
t image import -c 'CMD ["sh"]' -c 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' "$work/rootfs.tar" demo-busybox:latest

say "tscompose up -d --wait (web healthy, then the worker that depends on it)"
tc up -d --wait

say "the web service on the published port $DEMO_PORT"
timeout 10 busybox wget -q -O- "http://127.0.0.1:$DEMO_PORT/"

say "tscompose ps"
tc ps

say "the worker reads web and cache by service name and writes to the data volume"
sleep 3
tc logs --tail 3 worker
echo "-- /data/worker.log in the volume:"
t container exec demo-worker-1 tail -n 3 /data/worker.log

say "tscompose down -v"
tc down -v

say "nothing of the project is left"
left=$(tc ps -a -q)
[ -z "$left" ] || die "containers left: $left"
for what in "container ls -a" "network ls" "volume ls"; do
  # shellcheck disable=SC2086 # the verb and its flags are words
  names=$(t $what -q --filter label=com.docker.compose.project=demo)
  [ -z "$names" ] || die "${what%% *}s left: $names"
done
t engine stop >/dev/null
echo "no containers, networks or volumes of project demo; the engine stopped"
echo
echo "done: the demo stack came up, worked, and went away"
