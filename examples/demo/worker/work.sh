#!/bin/sh
# The demo's worker: every second, reads the web page and bumps a counter in the cache (both by
# service name, on the project's network), and appends what it saw to the `data` volume.
set -u
while :; do
  title=$(wget -q -O- http://web/ | sed -n 's:.*<h1>\(.*\)</h1>.*:\1:p')
  visits=$(wget -q -O- 'http://cache:6379/cgi-bin/kv?visits=+1')
  line="$(date -u +%H:%M:%S) web said \"${title:-nothing}\"; cache counted ${visits:-nothing} visits"
  echo "$line" >>/data/worker.log
  echo "$line"
  sleep 1
done
