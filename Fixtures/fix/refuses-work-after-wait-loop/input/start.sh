#!/bin/bash
mysqld --user=mysql &
until mysqladmin ping --silent; do sleep 1; done
mysql -e "CREATE DATABASE IF NOT EXISTS app"
exec python3 /app.py
