#!/bin/bash
worker &
server &
wait -n
exit $?
