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
    guard let main = context.launch.mainProgram, let manager = main.command.programName, ["npm", "yarn", "pnpm"].contains(manager),
      let script = Self.scriptName(manager: manager, arguments: main.command.literalArguments), main.command.arguments.allSatisfy({ $0 != nil })
    else { return [] }
    let anchor = context.image.entrypoint?.keyword ?? context.image.cmd?.keyword ?? main.command.location
    let invocation = ([manager] + main.command.literalArguments).joined(separator: " ")
    var notes: [Finding.Note] = []
    if main.command.location.file.path != context.dockerfile.source.path { notes.append(Finding.Note("it runs here", at: main.command.location)) }
    var target: [String]? = nil
    let packagePath = ImageFileSystem.normalize("package.json", workdir: context.image.workdir)
    if let package = context.image.files.file(at: packagePath) {
      let command = Self.script(script, in: package.text)
      if let command {
        target = Self.simpleArgv(command)
        notes.append(Finding.Note("package.json's \"\(script)\" script is '\(command)'", at: FileRange(file: package.source, range: .empty(at: 0))))
        if target == nil { notes.append(Finding.Note("it is not a simple command, so no exec form is offered")) }
        let words = command.split(separator: " ").map(String.init)
        if words.first == "concurrently", !words.contains(where: { $0 == "--kill-others" || $0 == "-k" || $0 == "--kill-others-on-fail" }) {
          notes.append(Finding.Note("concurrently without --kill-others keeps running when one of its commands dies: a wait-for-all"))
        }
      } else if script == "start", manager == "npm", context.image.files.file(at: ImageFileSystem.normalize("server.js", workdir: context.image.workdir)) != nil {
        target = ["node", "server.js"]
        notes.append(Finding.Note("package.json has no start script: npm runs 'node server.js'"))
      }
    } else {
      notes.append(Finding.Note("package.json is not in the image model (\(packagePath)), so the script's command is unknown"))
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

  /// The package.json script a command runs: `start`, `run X`, `run-script X` (and yarn's `yarn X`).
  static func scriptName(manager: String, arguments: [String]) -> String? {
    let words = arguments.filter { !$0.hasPrefix("-") }
    guard arguments.first.map({ !$0.hasPrefix("-") }) ?? false, let verb = words.first else { return nil }
    if verb == "start" { return "start" }
    if verb == "run" || verb == "run-script", words.count >= 2 { return words[1] }
    return nil
  }

  /// The text of `scripts[name]` in a package.json.
  static func script(_ name: String, in text: String) -> String? {
    guard case .success(let root) = JSONParser.parse(text),
      let scripts = root.members.first(where: { $0.key.string == "scripts" })?.value,
      let entry = scripts.members.first(where: { $0.key.string == name })?.value
    else { return nil }
    return entry.string
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
