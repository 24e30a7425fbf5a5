#!/bin/sh
SERVER="tini -- nginx"
eval exec "$SERVER"
