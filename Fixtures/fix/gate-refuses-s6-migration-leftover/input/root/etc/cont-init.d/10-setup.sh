#!/usr/bin/with-contenv bash
echo setup
