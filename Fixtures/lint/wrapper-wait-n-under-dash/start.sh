#!/bin/sh
worker &
server &
wait -n
echo "a service stopped"
