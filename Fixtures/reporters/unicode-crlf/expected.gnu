Dockerfile:4.1: warning: DA101 shell-form-pid1: CMD uses shell form: /bin/sh -c is PID 1, so SIGTERM never reaches the application
