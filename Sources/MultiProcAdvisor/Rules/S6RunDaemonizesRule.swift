/// DA405: a supervised `run` script daemonizes or does not `exec` its process.
public struct S6RunDaemonizesRule: Rule {
  public static let description = RuleDescription(
    id: "DA405", name: "s6-run-daemonizes", severity: .warning,
    summary: "make the `run` script `exec` its service in the foreground",
    rationale: """
      s6-supervise (and runit's runsv, which works the same way) watches the process that `run` \
      became and sends it the stop signal. If `run` starts a daemon that forks (`nginx` without \
      `daemon off`, `service x start`), the supervisor sees it exit at once and restarts it in a loop \
      while the orphan runs unsupervised; if `run` starts the service as a child without `exec`, the \
      stop signal reaches the shell instead of the service and the service is SIGKILLed or left \
      behind. execline `run` files exec by construction. `sleep infinity` as a deliberately idle \
      service is not a keep-alive here. The fix inserts `exec`, or the foreground form when it is a \
      drop-in.
      """,
    fixDescription: "`exec` / the foreground form",
    nonTriggering: [
      Example("FROM base-with-s6\nENV PATH=/opt/app:$PATH\nCOPY root/ /\nCOPY service /usr/local/bin/service\n", files: [
        "service": "#!/bin/sh\nexec s6-svc -u \"/run/service/$1\"\n",
        "root/etc/s6-overlay/s6-rc.d/web/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/web/run": "#!/bin/sh\nservice web-log start\nexec lighttpd -D -f /etc/lighttpd/lighttpd.conf\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/web": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/usr/bin/with-contenv bash\ncd /app\nexec node server.js\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/nginx/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/nginx/run": "#!/command/execlineb -P\nnginx -g \"daemon off;\"\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/nginx": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/idle/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/idle/run": "#!/bin/sh\nif [ -z \"$ENABLE\" ]; then\n  sleep infinity\nfi\nexec watcher\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/idle": "",
      ]),
    ],
    triggering: [
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/usr/bin/with-contenv bash\ncd /app\n↓node server.js\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY services.d/ /etc/services.d/\n", files: ["services.d/nginx/run": "#!/bin/sh\n↓exec nginx\n"]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: ["root/etc/cont-init.d/20-app": "#!/bin/sh\nmkdir -p /run/service/app\nprintf '#!/bin/sh\\ncd /app\\n' > /run/service/app/run\necho '↓node server.js' >> /run/service/app/run\n"]),
      Example("FROM debian\nRUN apt-get update && apt-get install -y runit\nCOPY sv/ /etc/service/\nCMD [\"runsvdir\", \"/etc/service\"]\n", files: ["sv/cron/run": "#!/bin/sh\n↓service cron start\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM base-with-s6\nCOPY services.d/ /etc/services.d/\n", files: ["services.d/nginx/run": "#!/bin/sh\nexec nginx\n"]),
        Example("FROM base-with-s6\nCOPY services.d/ /etc/services.d/\n", files: ["services.d/nginx/run": "#!/bin/sh\nexec nginx -g 'daemon off;'\n"])),
      Correction(
        Example("FROM base-with-s6\nCOPY services.d/ /etc/services.d/\n", files: ["services.d/app/run": "#!/bin/sh\ncd /app\nnode server.js\n"]),
        Example("FROM base-with-s6\nCOPY services.d/ /etc/services.d/\n", files: ["services.d/app/run": "#!/bin/sh\ncd /app\nexec node server.js\n"])),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    var findings: [Finding] = []
    for program in context.servicePrograms where program.issues.isEmpty {
      guard case .service(let name, let supervisor) = program.role, supervisor == "s6" || supervisor == "runit" else { continue }
      if supervisor == "s6" && !context.usesS6Overlay && !context.launch.steps.contains(where: { if case .manager(let m) = $0 { return m.name == "s6-svscan" } else { return false } }) { continue }
      for (command, verdict) in program.facts.daemonizing {
        let isLast = program.facts.terminals.contains { $0.command.location == command.location }
        findings.append(finding(
          at: command.location, "the run script of \(name) starts '\(command.text)', which daemonizes: \(supervisor) sees it exit and restarts it in a loop",
          fix: isLast ? DaemonizingCommandRule.fix(command, verdict) : nil))
      }
      let daemonized = Set(program.facts.daemonizing.map(\.command.location))
      for terminal in program.facts.terminals where terminal.kind == .service && !terminal.command.isExec && !daemonized.contains(terminal.command.location) {
        let fix = terminal.command.execInsertionPoint.map { point in
          Fix(title: "exec the service", safety: .safe, changes: [.execPrefix(at: point)])
        }
        findings.append(finding(
          at: terminal.command.location, "the run script of \(name) starts '\(terminal.command.text)' without exec: \(supervisor)'s stop signal reaches the shell, not the service",
          fix: program.facts.hasExitTrap ? nil : fix))
      }
    }
    return findings
  }
}
