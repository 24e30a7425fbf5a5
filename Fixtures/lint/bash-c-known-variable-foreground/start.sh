#!/bin/sh
RUNCMD="nginx -g 'daemon off;'"
exec bash -c "$RUNCMD"
