#!/bin/bash
nginx -g "daemon off;" &
tail -f /dev/null
