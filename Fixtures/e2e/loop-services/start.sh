#!/bin/sh
for s in nginx cron; do
  echo "starting $s"
  service $s start
done
if [ -n "$WITH_EXTRA" ]; then
  service ssh start
fi
tail -f /dev/null
