/// DA207: every service is started in the background and nothing stays in the foreground.
public struct NoForegroundProcessRule: Rule {
  public static let description = RuleDescription(
    id: "DA207", name: "no-foreground-process", severity: .error,
    summary: "keep a process in the foreground (the main service, or an init watching all of them)",
    rationale: """
      A container lives exactly as long as PID 1. When the command starts its services in the \
      background (`&`) or through daemonizing commands (`service x start`, `nginx`) and then simply \
      ends, PID 1 exits, the container stops at once (exit 0 — it even looks like success), and the \
      services are killed with it. The usual symptom is a container that "keeps exiting". The fix (a \
      strategy) runs every service in the foreground under a managed layout.
      """,
    fixDescription: "managed layout (strategy)",
    nonTriggering: [
      Example("FROM debian\nCMD service nginx start && tail -f /dev/null\n"),
      Example("FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCMD [\"sh\", \"-c\", \"echo hello\"]\n"),
    ],
    triggering: [
      Example("FROM debian\n↓CMD service nginx start\n"),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\nphp-fpm8.2\nredis-server &\n↓nginx\n"]),
      Example("FROM debian\n↓CMD [\"sh\", \"-c\", \"worker & server &\"]\n"),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.pid1Programs.compactMap { program in
      let facts = program.facts
      guard program.issues.isEmpty, !facts.terminals.isEmpty,
        !facts.backgroundServices.isEmpty || !facts.daemonizing.isEmpty
      else { return nil }
      let daemonized = Set(facts.daemonizing.map(\.command.location))
      let holdsForeground = facts.terminals.contains { terminal in
        switch terminal.kind {
        case .background, .shortLived: return false
        case .service: return !daemonized.contains(terminal.command.location)
        case .keepalive, .wait, .positionalArguments, .loop: return true
        }
      }
      guard !holdsForeground, !facts.waits.contains(where: \.isInMainPath), facts.keepalives.isEmpty else { return nil }
      let location = program.file == nil ? (program.instruction ?? facts.terminals.last!.command.location) : facts.terminals.last!.command.location
      return finding(
        at: location, "\(program.displayName) starts its services in the background and then ends: the container exits at once",
        notes: program.provenance, fix: context.strategyFix, instruction: program.instruction)
    }
  }
}
