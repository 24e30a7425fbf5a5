#!/bin/sh
printf 'READY\n'
while read -r line; do
  kill -TERM "$PPID"
done
