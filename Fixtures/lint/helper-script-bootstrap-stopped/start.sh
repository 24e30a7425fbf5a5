#!/bin/sh
/opt/init-db.sh
exec mariadbd --user=mysql
