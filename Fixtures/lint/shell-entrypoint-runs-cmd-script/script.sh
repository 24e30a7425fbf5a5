#!/bin/sh
set -e
exec crond -f
