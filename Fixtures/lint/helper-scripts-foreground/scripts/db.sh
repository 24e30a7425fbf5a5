#!/bin/sh
mysql_install_db --user=mysql
. /opt/scripts/setup.sh
