#!/bin/sh
for s in $(cat /etc/services.list); do
  service $s start
done
exec nginx -g 'daemon off;'
