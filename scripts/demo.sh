#!/usr/bin/env bash
# The main job as far as it exists today: load the demo stack's model, then run real isolated
# containers from an image made of Debian's busybox-static, check them and remove them.
# As root, after `npm ci && npm run build`; leaves nothing behind (its own engine root in /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
demo=$(mktemp -d /tmp/tscompose-demo-XXXXXX)
export TSCOMPOSE_ROOT="$demo/root" TSCOMPOSE_RUNROOT="$demo/run"
t() { node bin/run.js "$@"; }
cleanup() {
  t container rm -f demo-web >/dev/null 2>&1 || true
  t engine stop >/dev/null 2>&1 || true
  rm -rf "$demo"
}
trap cleanup EXIT

echo "== the compose model of examples/hello"
t -f examples/hello/compose.yaml config --services

echo "== an image from Debian's busybox-static"
rootfs=$(node -e "console.log(require('./dist/test/helpers/busybox-image.js').busyboxLayers().layers[0])")
t image import -c 'CMD ["sh"]' "$rootfs" busybox
t image ls

echo "== a one-off container (the engine daemon starts on demand)"
t container run --rm --hostname demo busybox sh -c 'echo "hello from $(hostname), I am PID $$"; grep ^CapEff /proc/self/status'

echo "== a service: httpd on the container's own loopback, checked from inside"
t container run -d --name demo-web --memory 32m --pids-limit 64 busybox httpd -f -p 127.0.0.1:8080 -h /etc >/dev/null
t container ls
got=$(t container exec demo-web wget -qO- http://127.0.0.1:8080/hostname)
[ "$got" = "$(t container inspect --format '{{.Id}}' demo-web | cut -c1-12)" ] || { echo "httpd answered '$got'" >&2; exit 1; }
echo "httpd answered: $got"
t container stop -t 2 demo-web
t container rm demo-web
echo "== done: nothing left running"
