#!/bin/sh
RUNCMD="nginx"
exec bash -c "$RUNCMD"
