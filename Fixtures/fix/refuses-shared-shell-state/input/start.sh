#!/bin/bash
if [[ -n "$CONFIG_URL" ]]; then
  CONFIG=/tmp/downloaded.conf
else
  CONFIG=/etc/app/default.conf
fi
if [[ ${SELFHEAL:-false} != "false" ]]; then
  /usr/local/bin/selfheal &
fi
exec /usr/local/bin/server --config "$CONFIG"
