#!/bin/bash
# The multi-process wrapper the Docker documentation recommends: every service in the background,
# then wait for the first to exit and pass its status on.
/app/web --port 8080 &
/app/worker --queue default &
wait -n
exit $?
