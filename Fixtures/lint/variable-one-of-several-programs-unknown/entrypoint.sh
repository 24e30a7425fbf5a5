#!/bin/bash
if [ -n "$DEBUG" ]; then
  server=/usr/bin/gdbserver
else
  server=/lib/systemd/systemd
fi
exec $server
