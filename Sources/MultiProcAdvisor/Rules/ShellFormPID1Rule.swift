/// DA101: a shell-form ENTRYPOINT/CMD puts `/bin/sh -c` between `docker stop` and the application.
public struct ShellFormPID1Rule: Rule {
  public static let description = RuleDescription(
    id: "DA101", name: "shell-form-pid1", severity: .warning,
    summary: "use exec form (or `exec` the last command) so the application, not /bin/sh, receives SIGTERM",
    rationale: """
      `CMD a && b` runs as `["/bin/sh", "-c", "a && b"]`: the shell is PID 1. The kernel delivers \
      `docker stop`'s SIGTERM to PID 1 only if it installed a handler, and sh installs none, so nothing \
      happens until the grace period ends and everything is SIGKILLed (exit 137, no graceful shutdown). \
      dash and bash exec the last command of a plain one-command string themselves, but not after \
      `&&`, `;`, `&`, a pipeline or a redirection, not under older dash releases, and not under every \
      `SHELL`; exec form makes the application PID 1 for certain. A shell-form ENTRYPOINT also ignores \
      CMD and `docker run` arguments. With an init in front the shell is not PID 1, but it still stands \
      between the init's signal and the application. hadolint's DL3025 is the same check; \
      `# hadolint ignore=DL3025` silences this rule too. \
      The fix writes exec form when the command is one simple command whose words need no shell \
      (no variables, globs or redirections); otherwise it prefixes the command that runs last with \
      `exec`. It never turns a shell-form ENTRYPOINT into exec form when a CMD would then start \
      reaching it as arguments.
      """,
    fixDescription: "exec form for a plain simple command; otherwise `exec` before the command that runs last",
    nonTriggering: [
      Example("FROM alpine\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM alpine\nCMD exec nginx -g 'daemon off;'\n"),
      Example("FROM alpine\nCMD echo starting && exec nginx -g 'daemon off;'\n"),
      Example("FROM alpine\nRUN echo build && make\nENTRYPOINT [\"/app\"]\n"),
      Example("FROM alpine AS build\nCMD make\nFROM alpine\nCMD [\"/app\"]\n"),
      Example("FROM alpine\n# hadolint ignore=DL3025\nCMD node server.js\n"),
    ],
    triggering: [
      Example("FROM alpine\n↓CMD nginx -g 'daemon off;'\n"),
      Example("FROM alpine\n↓ENTRYPOINT /app/run --port 80\n"),
      Example("FROM alpine\n↓CMD echo starting && nginx -g 'daemon off;'\n"),
      Example("FROM node:20\nWORKDIR /app\n↓cmd npm run migrate; node server.js --port $PORT\n"),
      Example("FROM alpine\nENTRYPOINT [\"tini\", \"--\"]\n↓CMD /app/prepare && /app/serve\n"),
    ],
    corrections: [
      Correction(
        Example("FROM alpine\nCMD nginx -g 'daemon off;'\n"),
        Example("FROM alpine\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")),
      Correction(
        Example("FROM alpine\nCMD echo starting && nginx -g 'daemon off;'\n"),
        Example("FROM alpine\nCMD echo starting && exec nginx -g 'daemon off;'\n")),
      Correction(
        Example("FROM node:20\ncmd npm run migrate; \\\n    node server.js --port $PORT\n"),
        Example("FROM node:20\ncmd npm run migrate; \\\n    exec node server.js --port $PORT\n")),
      Correction(
        Example("FROM alpine\nENTRYPOINT /app/run --port 80\nCMD [\"--verbose\"]\n"),
        Example("FROM alpine\nENTRYPOINT exec /app/run --port 80\nCMD [\"--verbose\"]\n")),
      Correction(
        Example("FROM alpine\r\nENTRYPOINT /app/run --port 80\r\n"),
        Example("FROM alpine\r\nENTRYPOINT [\"/app/run\", \"--port\", \"80\"]\r\n")),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.launch.shellForms.compactMap { use in
      let program = use.program
      let facts = program.facts
      // Malformed exec form is DA103's: rewriting it as exec form of the shell text would be wrong.
      let setting = use.kind == .entrypoint ? context.image.entrypoint : context.image.cmd
      if setting?.looksLikeJSON == true { return nil }
      guard program.interpreter != .other, program.interpreter != .execline, program.issues.isEmpty else { return nil }
      if facts.execsAtEnd && facts.backgroundJobs.isEmpty { return nil }
      let what = use.kind == .entrypoint ? "ENTRYPOINT" : "CMD"
      var message: String
      if use.isPID1 {
        message = "\(what) uses shell form: /bin/sh -c is PID 1, so SIGTERM never reaches the application"
        if facts.isSingleSimpleCommand && facts.backgroundJobs.isEmpty { message += " unless the shell happens to exec it" }
      } else {
        message = "\(what) uses shell form: /bin/sh -c stands between \(use.parentName) and the application, which never gets SIGTERM"
      }
      if use.kind == .entrypoint && use.ignoredCommand != nil { message += "; it also ignores CMD" }
      return finding(at: use.keyword, message, notes: use.notes, fix: fix(for: use, in: context))
    }
  }

  /// Exec form for a plain simple command (unless a CMD would start reaching a shell-form ENTRYPOINT);
  /// otherwise `exec` before each command that can run last.
  func fix(for use: Launch.ShellFormUse, in context: LintContext) -> Fix? {
    let facts = use.program.facts
    guard facts.backgroundJobs.isEmpty, !facts.hasExitTrap else { return nil }
    let setting = use.kind == .entrypoint ? context.image.entrypoint : context.image.cmd
    // `CMD ["a", ` meant exec form: rewriting its shell reading would enshrine the mistake (DA103's business).
    if let setting, context.dockerfile.instructions.contains(where: { $0.range == setting.instruction.range && $0.looksLikeJSON }) { return nil }
    // Exec form needs the words as JSON strings: bytes that are not UTF-8 cannot be written there.
    if let argv = facts.plainSimpleCommand, let setting, use.kind == .cmd || use.ignoredCommand == nil,
      EditApplier.undecodableRuns(setting.arguments.file.bytes[setting.arguments.range.range]).isEmpty,
      facts.plainSimpleCommandLocations.count == argv.count
    {
      return Fix(
        title: "use exec form", safety: .safe,
        changes: [.execForm(setting.arguments, words: Array(zip(argv, facts.plainSimpleCommandLocations)))])
    }
    let points = facts.terminals.filter { !$0.command.isExec }
    guard !points.isEmpty,
      points.allSatisfy({ ($0.kind == .service || $0.kind == .positionalArguments) && $0.command.execInsertionPoint != nil })
    else { return nil }
    return Fix(
      title: "exec the command that runs last", safety: .safe,
      changes: points.map { .execPrefix(at: $0.command.execInsertionPoint!) })
  }
}
