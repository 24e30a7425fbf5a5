/// DA202: services run in the background and the script waits for all of them with plain `wait`.
public struct WaitForAllRule: Rule {
  public static let description = RuleDescription(
    id: "DA202", name: "wait-for-all", severity: .warning,
    summary: "use `wait -n` (bash) and `exit $?` so the container stops when the first service dies",
    rationale: """
      Plain `wait` (or `wait $a $b`) returns only when every background job has ended. When one of \
      several services dies the container keeps running without it, and nobody is told. bash's \
      `wait -n` returns as soon as the first job ends, with its status; `exit $?` then stops the \
      container with that code. A single background service followed by `wait` or `wait $!` is fine \
      and not reported. The fix rewrites the `wait` as `wait -n` followed by `exit $?` when the script \
      already runs under bash; otherwise it is a strategy. The same holds for a package.json script \
      `concurrently "node server.js" "node worker.js"` that `npm start` runs: without `--kill-others` \
      concurrently ends only when every command has; the fix adds `--kill-others` (the others are \
      stopped when one ends, and concurrently exits non-zero unless all succeeded).
      """,
    fixDescription: "`wait -n` + `exit $?` (bash), or a managed layout",
    nonTriggering: [
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\nworker &\nserver &\nwait -n\nexit $?\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\nserver &\nwait\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\nsetup &\nsetup_pid=$!\nwait $setup_pid\nexec server\n"]),
      Example(
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"start\"]\n",
        files: ["package.json": "{\"scripts\": {\"start\": \"concurrently -k -n api,worker \\\"node server.js\\\" \\\"node worker.js\\\"\"}}\n"]),
    ],
    triggering: [
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\nworker &\nserver &\n↓wait\n"]),
      Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\nworker & a=$!\nserver & b=$!\n↓wait $a $b\n"]),
      Example("FROM debian\nCMD [\"bash\", \"-c\", \"redis-server & node app.js & ↓wait\"]\n"),
      Example(
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"start\"]\n",
        files: ["package.json": "{\"scripts\": {\"start\": ↓\"concurrently \\\"node server.js\\\" \\\"node worker.js\\\"\"}}\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\nworker &\nserver &\nwait\n"]),
        Example("FROM debian\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\nworker &\nserver &\nwait -n\nexit $?\n"]), options: ["--unsafe"]),
      Correction(
        Example("FROM debian\nCMD [\"bash\", \"-c\", \"redis-server & node app.js & wait\"]\n"),
        Example("FROM debian\nCMD [\"bash\", \"-c\", \"redis-server & node app.js & wait -n; exit $?\"]\n"), options: ["--unsafe"]),
      Correction(
        Example(
          "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"start\"]\n",
          files: ["package.json": "{\"scripts\": {\"start\": \"concurrently \\\"node server.js\\\" \\\"node worker.js\\\"\"}}\n"]),
        Example(
          "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"start\"]\n",
          files: ["package.json": "{\"scripts\": {\"start\": \"concurrently --kill-others \\\"node server.js\\\" \\\"node worker.js\\\"\"}}\n"]),
        options: ["--unsafe"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    shellWaits(context) + concurrentlyWaits(context)
  }

  /// `concurrently "a" "b"` without `--kill-others`, as the package script the chain ends in.
  func concurrentlyWaits(_ context: LintContext) -> [Finding] {
    guard let script = context.launch.packageScript, let concurrently = script.concurrently, concurrently.commands.count >= 2,
      !concurrently.killsOthers, let location = script.commandLocation, let main = context.launch.mainProgram
    else { return [] }
    let listed = concurrently.commands.map { "'\($0)'" }
    let commands = listed.dropLast().joined(separator: ", ") + " and " + listed.last!
    let fix = concurrently.optionInsertionPoint.map { point in
      Fix(
        title: "stop the other commands when one ends (--kill-others)", safety: .unsafe,
        edits: [.replace(point.range, with: "--kill-others ", in: point.file.path)])
    }
    return [finding(
      at: location,
      "concurrently runs \(commands) and ends only when all of them have (no --kill-others): the container keeps running when one dies",
      notes: [Finding.Note("'\(main.command.text)' runs package.json's \"\(script.name)\" script", at: main.command.location)], fix: fix)]
  }

  func shellWaits(_ context: LintContext) -> [Finding] {
    context.pid1Programs.flatMap { program -> [Finding] in
      let facts = program.facts
      let neverEnding = facts.backgroundJobs.filter { $0.isLongRunning || $0.isLogRelay }
      guard program.issues.isEmpty, !facts.backgroundServices.isEmpty, neverEnding.count >= 2 else { return [] }
      return facts.waits.filter { $0.isInMainPath && !$0.waitsForNext && $0.operands.count != 1 }.map { wait in
        finding(
          at: wait.command.location,
          "'\(wait.command.text)' returns only when every background service has ended: the container keeps running when one dies",
          notes: program.provenance, fix: fix(wait, program), instruction: program.instruction)
      }
    }
  }

  /// `wait -n` and `exit $?`, when the shell has `wait -n` and the wait is the last command.
  func fix(_ wait: ShellFacts.Wait, _ program: ShellProgram) -> Fix? {
    guard program.interpreter == .bash || program.interpreter == .ash || program.interpreter == .zsh,
      program.facts.terminals.count == 1, program.facts.terminals[0].kind == .wait
    else { return nil }
    let location = wait.command.location
    let separator = program.isInline ? "; " : Edits.newline(of: location.file) + Edits.indentation(of: location)
    return Fix(
      title: "wait for the first service and exit with its status", safety: .unsafe,
      edits: [.replace(location.range, with: "wait -n" + separator + "exit $?", in: location.file.path)])
  }
}
