import DockerfileParser

/// DA109: a package manager (`npm start`, `yarn start`, `pnpm run X`) is the long-running command.
public struct PackageManagerPID1Rule: Rule {
  public static let description = RuleDescription(
    id: "DA109", name: "package-manager-pid1", severity: .warning,
    summary: "run the package's start command itself (`CMD [\"node\", \"server.js\"]`), not `npm start`",
    rationale: """
      `npm start` (also `npm run X`, `yarn start`, `pnpm start`) starts the script from package.json \
      through `sh -c`: between PID 1 and the application sit the package manager and a shell. npm \
      does not pass SIGTERM on reliably and exits with its own code, so `docker stop` waits out the \
      grace period and kills the application, and the exit status says little. Reported when the \
      command PID 1 ends up running (exec form, or reached through `exec` in a script) is one of them. \
      The fix runs the script's own command in exec form when the context's package.json (the one \
      copied into WORKDIR) gives a simple command, or `node server.js`, which npm runs for \
      `npm start` when package.json has no start script and server.js exists.
      """,
    fixDescription: "exec form of the script's own command",
    nonTriggering: [
      Example("FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"),
      Example("FROM node:20\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/main.js\"]\n"),
      Example("FROM node:20\nCMD [\"npm\", \"--version\"]\n"),
    ],
    triggering: [
      Example("FROM node:20\nWORKDIR /app\nCOPY package.json .\n↓CMD [\"npm\", \"start\"]\n", files: ["package.json": "{\"scripts\": {\"start\": \"node server.js\"}}\n"]),
      Example("FROM node:20\n↓CMD [\"yarn\", \"start\"]\n"),
      Example("FROM node:20\nCOPY entry.sh /entry.sh\n↓ENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\nexec npm run serve\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM node:20\nWORKDIR /app\nCOPY package.json .\nCMD [\"npm\", \"start\"]\n", files: ["package.json": "{\"scripts\": {\"start\": \"node server.js\"}}\n"]),
        Example("FROM node:20\nWORKDIR /app\nCOPY package.json .\nCMD [\"node\", \"server.js\"]\n", files: ["package.json": "{\"scripts\": {\"start\": \"node server.js\"}}\n"]))
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard let main = context.launch.mainProgram, let script = context.launch.packageScript else { return [] }
    let manager = script.manager
    let anchor = context.image.entrypoint?.keyword ?? context.image.cmd?.keyword ?? main.command.location
    let invocation = ([manager] + main.command.literalArguments).joined(separator: " ")
    var notes: [Finding.Note] = []
    if main.command.location.file.path != context.dockerfile.source.path { notes.append(Finding.Note("it runs here", at: main.command.location)) }
    var target: [String]? = nil
    if let command = script.command {
      target = Self.simpleArgv(command)
      notes.append(Finding.Note("package.json's \"\(script.name)\" script is '\(command)'", at: script.commandLocation))
      if target == nil { notes.append(Finding.Note("it is not a simple command, so no exec form is offered")) }
    } else if script.isDefaultServer {
      target = ["node", "server.js"]
      notes.append(Finding.Note("package.json has no start script: npm runs 'node server.js'"))
    } else if script.package == nil {
      notes.append(Finding.Note("package.json is not in the image model (\(ImageFileSystem.normalize("package.json", workdir: context.image.workdir))), so the script's command is unknown"))
    }
    var fix: Fix? = nil
    if let target, main.command.wordsAreJSON, let edits = Edits.transform(main.command, to: target) {
      fix = Fix(title: "run '\(target.joined(separator: " "))' directly", safety: .safe, edits: edits)
    }
    let groupInit = context.launch.inits.first { $0.signalsGroup }
    let consequence = groupInit.map { "the exit code is \(manager)'s (\($0.kind.rawValue) signals the whole group, so SIGTERM does reach the application)" }
      ?? "SIGTERM does not reach the application and its exit code is lost"
    return [finding(
      at: anchor, "'\(invocation)' runs the script through \(manager) and sh -c: \(consequence)",
      notes: notes, fix: fix)]
  }

  /// `node server.js` → ["node", "server.js"]; nil for anything a shell would interpret.
  static func simpleArgv(_ command: String) -> [String]? {
    let special = Set("|&;<>()$`\\\"'*?[]#~=%{}!\n")
    guard !command.contains(where: special.contains) else { return nil }
    let words = command.split(separator: " ").map(String.init)
    guard let first = words.first, !["npm", "yarn", "pnpm", "npx", "concurrently", "nodemon"].contains(first) else { return nil }
    return words
  }
}
