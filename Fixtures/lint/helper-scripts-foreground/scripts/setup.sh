#!/bin/sh
echo configuring
sh /opt/scripts/db.sh
