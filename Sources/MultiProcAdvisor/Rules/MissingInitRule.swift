/// DA206: several processes run under PID 1 and no init reaps zombies or forwards signals.
public struct MissingInitRule: Rule {
  public static let description = RuleDescription(
    id: "DA206", name: "missing-init", severity: .warning,
    summary: "put an init in front (`ENTRYPOINT [\"tini\", \"-g\", \"--\"]`, or `docker run --init`)",
    rationale: """
      When PID 1 starts several processes — background jobs, daemons that fork, a shell that stays \
      resident over its children — someone must reap the orphans they leave (`waitpid(-1)`) and pass \
      signals on. A shell or an application as PID 1 does neither: zombies accumulate until the PID \
      table fills, and `docker stop` ends in SIGKILL. An init (tini, dumb-init, catatonit, s6-overlay, \
      runit, supervisord, dockadvise-init) does both. `docker run --init` adds tini for one run, but \
      Kubernetes and most platforms have no such switch, so the portable answer is an init baked into \
      the image. A single process that is PID 1 by itself (exec form, or `exec` at the end of a \
      script) is not reported here; its signal handling is DA101/DA102's business. The fix (a \
      strategy) installs an init and makes it PID 1.
      """,
    fixDescription: "add an init (strategy)",
    nonTriggering: [
      Example("FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nRUN apt-get update && apt-get install -y tini\nCOPY run.sh /run.sh\nENTRYPOINT [\"tini\", \"-g\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCOPY supervisord.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["supervisord.conf": "[supervisord]\nnodaemon=true\n[program:a]\ncommand=a\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\n./migrate\nexec server\n"]),
    ],
    triggering: [
      Example("FROM debian\n↓CMD php-fpm8.2 -F & nginx -g 'daemon off;'\n"),
      Example("FROM debian\nCOPY run.sh /run.sh\n↓CMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCOPY entry.sh /entry.sh\n↓ENTRYPOINT [\"/entry.sh\"]\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n", files: ["entry.sh": "#!/bin/sh\nservice cron start\nexec \"$@\"\n"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard !context.launch.hasInitAsPID1, let program = context.pid1Programs.first, program.isPID1, program.issues.isEmpty,
      let instruction = context.launch.definingInstruction
    else { return [] }
    let facts = program.facts
    let services = facts.backgroundServices.count + facts.daemonizing.count
    guard services > 0 else { return [] }
    let what = facts.backgroundServices.isEmpty
      ? "starts \(facts.daemonizing.count == 1 ? "a daemon" : "\(facts.daemonizing.count) daemons")"
      : "runs \(facts.backgroundServices.count) background \(facts.backgroundServices.count == 1 ? "service" : "services")"
    return [finding(
      at: instruction,
      "\(program.displayName) \(what) as PID 1 with no init: orphans are never reaped and signals are not forwarded (docker run --init only helps where it is used)",
      notes: program.provenance, fix: context.strategyFix ?? context.initFix)]
  }
}
