#!/bin/bash
service cron start
/etc/init.d/ssh start
apachectl start
while true; do
  sleep 3600
done
