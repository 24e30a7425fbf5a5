/// DA201: a long-running service is started with `&` and nothing ends the container when it dies.
public struct BackgroundProcessRule: Rule {
  public static let description = RuleDescription(
    id: "DA201", name: "background-process", severity: .error,
    summary: "don't leave services running with `&` unwatched: supervise them, or `wait -n` for them",
    rationale: """
      `php-fpm & nginx -g 'daemon off;'` starts php-fpm in the background and watches only nginx. When \
      php-fpm dies the container keeps running without it, looking healthy; restart policies and \
      orchestrators never learn. The same holds when the foreground runs a keep-alive or a plain \
      `wait`. Not reported: the pattern Docker's documentation recommends — every service in the \
      background, then bash's `wait -n` and `exit $?`, behind an init or a forwarding `trap` — and \
      `cmd & wait $!` for a single service; background jobs that finish on their own (a configurator, \
      `sleep 5 && curl …`, a `tail -F` relaying logs); and `&` inside RUN steps, which is build time. \
      A background pipeline is judged by the stage that runs the service, not by the `tee` or \
      `logger` that carries its output (`svc | tee log &` is svc). \
      Also reported: a service left in the background by a one-shot startup script (my_init's \
      `/etc/my_init.d/*`, s6-overlay's `/etc/cont-init.d/*`, copied in by COPY or by a build script's \
      `cp`): the script ends, the init starts its services, and nothing supervises the job — unless \
      the script stops it again (a bootstrap `mysqld &` … `mysqladmin shutdown`) or a shutdown hook \
      (`/etc/my_init.post_shutdown.d`, `/etc/cont-finish.d`) names it. \
      The fix (a strategy) moves every service under a managed layout that stops the container when \
      any of them dies and exits with its code.
      """,
    fixDescription: "managed layout (`--strategy swift-init|s6|wrapper`)",
    nonTriggering: [
      // A bootstrap server a helper script starts and shuts down again.
      Example(
        "FROM debian\nCOPY start.sh init-db.sh /opt/\nCMD [\"/opt/start.sh\"]\n",
        files: [
          "start.sh": "#!/bin/sh\n/opt/init-db.sh\nexec mariadbd --user=mysql\n",
          "init-db.sh": "#!/bin/sh\nmariadbd --user=mysql --skip-networking &\nsleep 5\nmariadb < /init.sql\nmariadb-admin shutdown\n",
        ]),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/bash\nmariadbd --skip-networking &\nsleep 5\nmysql -e 'CREATE DATABASE IF NOT EXISTS app'\nmysqladmin shutdown\nexec mariadbd\n"]),
      Example("FROM debian\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"mysqld\"]\n", files: ["entry.sh": "#!/bin/bash\nmysqld --skip-networking &\npid=$!\nmysql -e 'CREATE DATABASE IF NOT EXISTS app'\nkill $pid\nwait $pid\nexec \"$@\"\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"tini\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\nphp-fpm -F &\nnginx -g 'daemon off;' &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\ntrap 'kill -TERM $pid' TERM INT\nserver &\npid=$!\nwait $pid\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\n(sleep 5 && curl -fsS -X POST http://localhost/warmup) &\nexec server\n"]),
      Example("FROM debian\nRUN mysqld_safe & sleep 10 && mysql < /schema.sql\nCMD [\"mysqld\"]\n"),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\ntail -F /var/log/app.log &\nexec app\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\ntail -F /var/log/app.log | grep -v DEBUG &\nprintf 'ready\\n' | tee /tmp/ready &\nexec app\n"]),
      Example("FROM phusion/baseimage:noble-1.0.0\nCOPY init-db.sh /etc/my_init.d/10-init-db.sh\nCMD [\"/sbin/my_init\"]\n", files: ["init-db.sh": "#!/bin/sh\nmysqld_safe &\nsleep 10\nmysql < /schema.sql\nmysqladmin shutdown\n"]),
      Example(
        "FROM phusion/baseimage:noble-1.0.0\nCOPY syslog.init /etc/my_init.d/10-syslog\nCOPY syslog.stop /etc/my_init.post_shutdown.d/10-syslog\nCMD [\"/sbin/my_init\"]\n",
        files: ["syslog.init": "#!/bin/bash\n/usr/sbin/syslog-ng -F &\n", "syslog.stop": "#!/bin/sh\nkill $(cat /var/run/syslog-ng.pid)\n"]),
    ],
    triggering: [
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\nset -m\nnginx -g 'daemon off;' &\n↓php-fpm8.2 -F &\nfg %1\n"]),
      Example("FROM debian\nCMD ↓php-fpm8.2 -F & nginx -g 'daemon off;'\n"),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\n↓celery -A app worker &\nexec gunicorn app:app\n"]),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/bash\n↓redis-server &\n↓node server.js &\nwait\n"]),
      Example("FROM debian\nCMD [\"sh\", \"-c\", \"↓Xvfb :1 & ↓x11vnc -display :1 & tail -f /dev/null\"]\n"),
      // A script the PID 1 script runs and waits for leaves the service behind when it returns.
      Example(
        "FROM debian\nCOPY start.sh setup.sh /opt/\nCMD [\"/opt/start.sh\"]\n",
        files: ["start.sh": "#!/bin/sh\n/opt/setup.sh\nexec nginx -g 'daemon off;'\n", "setup.sh": "#!/bin/sh\n↓php-fpm8.2 -F &\n"]),
      Example("FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\n↓redis-server | tee /var/log/redis.log &\n↓worker 2>&1 | logger -t worker &\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM phusion/baseimage:noble-1.0.0\nCOPY start-app.sh /etc/my_init.d/start-app.sh\nCMD [\"/sbin/my_init\"]\n", files: ["start-app.sh": "#!/bin/sh\ncd /app\n↓npm start &\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y nginx php8.2-fpm\nCMD php-fpm8.2 -F & nginx -g 'daemon off;'\n"),
        Example(
          "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y nginx php8.2-fpm\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nCOPY --chmod=755 dockadvise/run-services.sh /usr/local/bin/dockadvise-run-services\nENTRYPOINT [\"/usr/bin/tini\", \"-g\", \"--\", \"/usr/local/bin/dockadvise-run-services\"]\n",
          files: [
            "dockadvise/run-services.sh": "#!/bin/bash\n# Generated by dockadvise from CMD (strategy: wrapper).\n# Starts every service; when one exits, stops the others and exits with its status.\n# TERM/INT stop them all (status 0 when they all stop cleanly).\n# Arguments (docker run IMAGE COMMAND...) run instead of the services.\nif [ \"$#\" -gt 0 ]; then exec \"$@\"; fi\n# Job control: each service runs in its own process group, so its stop signal reaches all of its processes.\nset -m\npids=()\nsignals=()\nstop() {\n  for i in \"${!pids[@]}\"; do kill -s \"${1:-${signals[$i]}}\" -- \"-${pids[$i]}\" 2>/dev/null; done\n}\nstopping=\ntrap 'stopping=1; stop' TERM INT\nphp-fpm8.2 -F </dev/null &\npids+=($!) signals+=(QUIT)\nnginx -g 'daemon off;' </dev/null &\npids+=($!) signals+=(QUIT)\nwait -n\nstatus=$?\nstop\n# Whatever still runs after the grace period is killed.\n(sleep 5 && stop KILL) </dev/null &\nkiller=$!\nclean=0\nfor i in \"${!pids[@]}\"; do\n  # A second signal interrupts wait: wait again until the service has ended.\n  while wait \"${pids[$i]}\"; code=$?; [ \"$code\" -gt 128 ] && kill -0 \"${pids[$i]}\" 2>/dev/null; do :; done\n  case \"$code\" in 0 | 130 | 143 | $((128 + $(kill -l \"${signals[$i]}\")))) ;; *) [ \"$clean\" = 0 ] && clean=$code ;; esac\ndone\nkill -s KILL -- \"-$killer\" 2>/dev/null\nif [ -n \"$stopping\" ]; then exit \"$clean\"; fi\nexit \"$status\"\n",
          ]),
        options: ["--strategy", "wrapper"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    chainFindings(context) + startupFindings(context)
  }

  /// Services a one-shot startup script (my_init.d, cont-init.d) leaves in the background: the script
  /// ends, the init goes on to its services, and nothing supervises or watches the job. A job the
  /// script waits for, or a script that stops what it started (`kill`, `service … stop`), is a
  /// bootstrap step, not a service.
  func startupFindings(_ context: LintContext) -> [Finding] {
    context.servicePrograms.flatMap { program -> [Finding] in
      guard case .startup(let name, let runner) = program.role, program.issues.isEmpty else { return [] }
      let facts = program.facts
      let stops = facts.commands.contains { command in
        guard let name = command.programName else { return false }
        return ["kill", "pkill", "killall"].contains(name) || command.arguments.contains("stop") || command.arguments.contains("shutdown")
      }
      guard !stops, !facts.waits.contains(where: \.isInMainPath) else { return [] }
      // A shutdown hook that names the program stops it with the container (phusion's syslog-ng).
      var shutdown = context.launch.steps.flatMap { step -> [String] in
        if case .manager(let manager) = step, manager.name == runner { return manager.shutdownScripts } else { return [] }
      }
      if runner == "s6-overlay" { shutdown += context.image.files.files(in: "/etc/cont-finish.d").map(\.path) }
      let shutdownTexts = shutdown.compactMap { context.image.files.file(at: $0)?.text }
      return facts.backgroundServices.filter { job in
        !job.isWaitedFor && !(job.command.programName.map { name in shutdownTexts.contains { $0.contains(name) } } ?? false)
      }.map { job in
        finding(
          at: job.command.location,
          "'\(job.summary)' is left running in the background by \(name), a one-shot startup script of \(runner): nothing supervises it, and nothing ends the container when it dies",
          notes: program.provenance, instruction: program.instruction)
      }
    }
  }

  func chainFindings(_ context: LintContext) -> [Finding] {
    // A script the chain runs and waits for (or sources) that leaves a service in the background and
    // returns: nothing watches the service.
    let helperFindings = context.launch.helperPrograms.flatMap { helper -> [Finding] in
      guard helper.issues.isEmpty, !helper.facts.waits.contains(where: \.isInMainPath) else { return [] }
      // A bootstrap server the helper stops again (`kill`, `mariadb-admin shutdown`, `pg_ctl stop`).
      let stops = helper.script.invocations.contains { invocation in
        let command = invocation.command
        return ["kill", "pkill", "killall", "start-stop-daemon"].contains(command.name ?? "")
          || command.words.dropFirst().contains { ["shutdown", "stop", "quit"].contains($0.literalValue ?? "") }
      }
      guard !stops else { return [] }
      return helper.facts.backgroundServices.map { job in
        finding(
          at: job.command.location,
          "'\(job.summary)' runs in the background of \(helper.displayName), which returns: when it dies the container keeps running without it",
          // The strategies plan the services of the chain itself, not a helper's: no fix yet.
          notes: helper.provenance, instruction: helper.instruction)
      }
    }
    return helperFindings + context.pid1Programs.flatMap { program -> [Finding] in
      let facts = program.facts
      let services = facts.backgroundServices
      guard program.issues.isEmpty, !services.isEmpty else { return [] }
      // `fg` without job control or `npm start` without a start script fails at once and the script
      // ends: DA207 reports the container exiting.
      if facts.terminals.contains(where: { $0.failsAtOnce != nil }) { return [] }
      // `wait -n` whose status reaches the exit: the container ends when the first service does.
      if facts.waits.contains(where: { $0.waitsForNext && $0.isInMainPath && program.interpreter.supportsWaitN != false }) { return [] }
      // A service the script waits for by PID is watched: its end ends the wait (the `cmd & wait $!`
      // idiom); a plain `wait` watches a lone service.
      let plainWait = facts.waits.contains { $0.isInMainPath && !$0.waitsForNext && $0.operands.isEmpty }
        || facts.terminals.contains { $0.kind == .wait && $0.command.programName == "fg" }
      let neverEnding = facts.backgroundJobs.filter { $0.isLongRunning || $0.isLogRelay }.count
      let unwatched = services.filter { !$0.isWaitedFor && !(plainWait && neverEnding == 1) }
      let foreground = Self.describe(facts.terminals)
      return unwatched.map { job in
        finding(
          at: job.command.location,
          "'\(job.summary)' runs in the background while \(foreground) holds the foreground: when it dies the container keeps running without it",
          notes: program.provenance, fix: context.strategyFix, instruction: program.instruction)
      }
    }
  }

  static func describe(_ terminals: [ShellFacts.Terminal]) -> String {
    guard let first = terminals.first else { return "nothing" }
    switch first.kind {
    case .wait: return first.command.programName == "fg" ? "'\(first.command.text)'" : "a plain wait"
    case .keepalive: return "a keep-alive ('\(first.command.text)')"
    case .loop: return "a loop"
    case .background: return "nothing"
    default: return "'\(first.command.text)'"
    }
  }
}
