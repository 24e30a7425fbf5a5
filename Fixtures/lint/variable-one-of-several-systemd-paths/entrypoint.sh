#!/bin/bash
# The path differs by distribution; every branch names systemd.
systemd=
if [ -x /lib/systemd/systemd ]; then
  systemd=/lib/systemd/systemd
elif [ -x /usr/lib/systemd/systemd ]; then
  systemd=/usr/lib/systemd/systemd
else
  systemd=/sbin/init
fi
if [ $# -ne 0 ]; then
  args="--show-status=true --unit=app.target"
else
  args="--show-status=true"
fi
exec $systemd $args
