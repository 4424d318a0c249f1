#!/bin/sh
# Writes the demo's root file system as a tar, made of Debian's busybox-static (/bin/busybox and
# a link per applet, passwd and group), to $1 (default ./busybox-rootfs.tar). No builder: the
# tar becomes an image with `tscompose image import` (run.sh) or `docker import` (the bench).
# Entries carry fixed owners and times, so the same busybox always gives the same digest.
set -eu
out=${1:-busybox-rootfs.tar}
case $out in /*) ;; *) out=$PWD/$out ;; esac
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "$busybox is missing: apt-get install busybox-static" >&2; exit 1; }
case $(file -L "$busybox" 2>/dev/null || echo static) in
*dynamically*) echo "$busybox is dynamically linked: apt-get install busybox-static" >&2; exit 1 ;;
esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/rootfs"
cd "$dir/rootfs"
mkdir -p bin dev etc proc sys tmp root var/run www data
chmod 1777 tmp
chmod 700 root
cp "$busybox" bin/busybox
for applet in $(bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >etc/group
cd "$dir"
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=2024-01-01T00:00:00Z -C rootfs -cf rootfs.tar .
mv "$dir/rootfs.tar" "$out"
