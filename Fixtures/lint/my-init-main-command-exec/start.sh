#!/bin/bash
exec nginx -g "daemon off;"
