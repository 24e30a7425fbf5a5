/// DA106: a shell is PID 1 with background children and no trap that forwards TERM/INT to them.
public struct ShellPID1NoSignalForwardingRule: Rule {
  public static let description = RuleDescription(
    id: "DA106", name: "shell-pid1-no-signal-forwarding", severity: .warning,
    summary: "forward TERM/INT to the background children with a trap, or put an init in front",
    rationale: """
      A shell that is PID 1 gets `docker stop`'s SIGTERM only if it traps it, and it never passes a \
      signal on to its background jobs by itself. Without `trap 'kill -TERM $pids' TERM INT` and a \
      `wait` that the trap can interrupt, the children see nothing until the grace period ends and \
      they are SIGKILLed: no graceful shutdown, exit 137. A trap that only cleans up, or that kills \
      nothing, does not count. Behind an init (tini, dumb-init, dockadvise-init) the shell is not PID 1; \
      then DA502 covers whether the init reaches the children. The fix (a strategy) puts the services \
      under an init that forwards signals to every one of them.
      """,
    fixDescription: "managed layout, or `trap` + `wait -n` (`--strategy wrapper`)",
    nonTriggering: [
      Example("FROM alpine\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\napp &\npid=$!\ntrap 'kill -TERM $pid' TERM INT\nwait $pid\n"]),
      Example("FROM alpine\nCOPY run.sh /run.sh\nENTRYPOINT [\"tini\", \"-g\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\nworker &\nserver &\nwait -n\nexit $?\n"]),
      Example("FROM alpine\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\nexec app\n"]),
      Example("FROM alpine\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\nterm() { kill -TERM \"$web\" \"$worker\"; }\ntrap term SIGTERM SIGINT\nweb &\nweb=$!\nworker &\nworker=$!\nwait -n\n"]),
    ],
    triggering: [
      Example("FROM alpine\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\n↓worker &\nserver &\nwait -n\nexit $?\n"]),
      Example("FROM alpine\nCMD ↓php-fpm -F & nginx -g 'daemon off;'\n"),
      Example("FROM alpine\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\ntrap 'rm -f /tmp/lock' EXIT\n↓app &\nwait\n"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.pid1Programs.compactMap { program in
      guard program.isPID1, program.issues.isEmpty, let first = program.facts.backgroundServices.first,
        !program.facts.forwardsTermToChildren
      else { return nil }
      let count = program.facts.backgroundServices.count
      return finding(
        at: first.command.location,
        "\(program.displayName) is PID 1 with \(count) background \(count == 1 ? "service" : "services") and no trap forwarding TERM/INT to them: they are SIGKILLed at stop",
        notes: program.provenance, fix: context.strategyFix, instruction: program.instruction)
    }
  }
}
