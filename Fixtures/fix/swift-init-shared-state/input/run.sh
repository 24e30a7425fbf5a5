#!/bin/sh
: "${PORT:=8080}"
export PORT
cd "$APP_HOME"
./prepare --port "$PORT"
./worker --queue "jobs" &
exec ./server --port "$PORT"
