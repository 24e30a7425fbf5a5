#!/usr/bin/env python3
"""initbench `exec:` adapter for dockadvise-init's Procfile mode.

Reads {"workdir", "init": [...], "services": [{"name", "argv", "main"}]} on stdin, writes
WORKDIR/Procfile (one `name: command` line per service, the main service marked with a
`# dockadvise-init: NAME main` comment line) and prints {"argv": init + ["--procfile", PATH]}.

  python3 initbench.py --name "dockadvise-init --procfile" --init /path/dockadvise-init \
      --adapter exec:Scripts/initbench-procfile-adapter.py --checks multi,multi_sigterm
"""
import json
import os
import shlex
import sys

spec = json.load(sys.stdin)
lines = []
for service in spec["services"]:
    if service.get("main"):
        lines.append("# dockadvise-init: %s main" % service["name"])
for service in spec["services"]:
    lines.append("%s: %s" % (service["name"], shlex.join(service["argv"])))
path = os.path.join(spec["workdir"], "Procfile")
with open(path, "w") as f:
    f.write("\n".join(lines) + "\n")
mains = [s["name"] for s in spec["services"] if s.get("main")]
json.dump({"argv": list(spec["init"]) + ["--procfile", path],
           "notes": "Procfile, main=%s (the others restart=always)" % (mains[0] if mains else None)},
          sys.stdout)
