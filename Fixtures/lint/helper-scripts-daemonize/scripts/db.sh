#!/bin/sh
service mariadb start
. /opt/scripts/setup.sh
