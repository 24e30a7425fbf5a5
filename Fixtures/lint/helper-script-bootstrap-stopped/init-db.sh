#!/bin/sh
mariadbd --user=mysql --skip-networking &
sleep 5
mariadb < /init.sql
mariadb-admin shutdown
