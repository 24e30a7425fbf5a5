/// DA105: a keep-alive command holds the container open instead of a real foreground process.
public struct KeepaliveHackRule: Rule {
  public static let description = RuleDescription(
    id: "DA105", name: "keepalive-hack", severity: .warning,
    summary: "run the service itself in the foreground (or under an init) instead of a keep-alive",
    rationale: """
      `service nginx start && tail -f /dev/null`, `sleep infinity`, `while true; do sleep 60; done` or \
      `tail -f /var/log/app.log` keep the container running while the real services run detached. \
      The keep-alive is what Docker watches: when the service dies the container stays up and looks \
      healthy, restart policies never fire, and `docker stop` signals the keep-alive (which as PID 1 \
      ignores SIGTERM) and SIGKILLs the services after the grace period. Reported only for what PID 1 \
      runs: `sleep infinity` as the body of a supervised s6/runit service, `tail -F` that only relays \
      logs while a supervisor is in charge, and keep-alives inside RUN steps are not reported. The fix \
      (unsafe, a strategy) moves the services under a managed layout whose PID 1 watches them.
      """,
    fixDescription: "replace with a managed service layout (`--strategy`)",
    nonTriggering: [
      Example("FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nRUN service mysql start && sleep 5 && mysql < /init.sql\nCMD [\"mysqld\"]\n"),
      Example("FROM alpine\nCOPY run /etc/services.d/idle/run\nENTRYPOINT [\"/init\"]\n", files: ["run": "#!/bin/sh\nexec sleep infinity\n"]),
      Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\ntail -F /var/log/app/audit.log &\nexec app --log /var/log/app/audit.log\n"]),
    ],
    triggering: [
      Example("FROM debian\nCMD service nginx start && ↓tail -f /dev/null\n"),
      Example("FROM debian\nCMD [\"sh\", \"-c\", \"cron && ↓sleep infinity\"]\n"),
      Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nphp-fpm\nnginx\n↓while true; do\n  sleep 60\ndone\n"]),
      Example("FROM debian\nCMD service apache2 start && ↓tail -f /var/log/apache2/access.log\n"),
      Example("FROM debian\n↓CMD [\"sleep\", \"infinity\"]\n"),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    var findings: [Finding] = []
    for program in context.pid1Programs where program.issues.isEmpty {
      let facts = program.facts
      let startsServices = !facts.backgroundServices.isEmpty || !facts.daemonizing.isEmpty
      var reported = Set<Int>()
      let candidates = facts.terminals.filter { $0.kind == .keepalive }.map(\.command) + facts.keepalives
      for command in candidates where reported.insert(command.location.range.start).inserted {
        let interactive = ShellFactsBuilder.isInteractiveShell(command)
        guard startsServices || program.isPID1 || interactive else { continue }
        let why: String
        if interactive {
          why = "an interactive shell waits for a terminal (docker run -it) and exits at once without one"
        } else if startsServices {
          why = "the services it started can die unnoticed and get SIGKILLed at stop"
        } else {
          why = "as PID 1 it ignores SIGTERM, so docker stop waits out the grace period"
        }
        findings.append(finding(
          at: command.location, "'\(command.text)' keeps the container alive: \(why)",
          notes: program.provenance, fix: context.strategyFix, instruction: program.instruction))
      }
    }
    // A keep-alive that is PID 1 by itself (exec form).
    if let main = context.launch.mainProgram, main.isPID1, Keepalive.isKeepalive(main.command), let instruction = context.launch.definingInstruction {
      findings.append(finding(at: instruction, "'\(main.command.text)' as PID 1 ignores SIGTERM: docker stop waits out the grace period and SIGKILLs it"))
    }
    return findings
  }
}
