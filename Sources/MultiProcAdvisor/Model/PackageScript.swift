import DockerfileParser

/// The package.json script that a package manager at the end of the PID 1 chain runs (`npm start`,
/// `yarn run serve`, `pnpm start`): the next link of the chain, read from the package.json copied into
/// WORKDIR. npm runs it through `sh -c`; when the script is `concurrently …`, the commands it starts.
public struct PackageScript: Sendable {
  /// `concurrently "node server.js" "node worker.js"`: several commands as one script.
  public struct Concurrently: Sendable {
    /// The commands, as concurrently is given them.
    public var commands: [String]
    /// `-k`/`--kill-others` (or `--kill-others-on-fail`): when one command ends, the others are stopped,
    /// so concurrently exits. Without it concurrently waits for all of them.
    public var killsOthers: Bool
    /// Where `--kill-others ` can be inserted in package.json (right after `concurrently `), when the
    /// script's bytes there are its text (no JSON escapes before it).
    public var optionInsertionPoint: FileRange?
  }

  public var manager: String
  /// The script's name (`start`, `serve`).
  public var name: String
  /// The package.json the manager reads, when the image has it.
  public var package: ImageFile?
  /// The script's command, when package.json has it.
  public var command: String?
  /// Where the script's value is in package.json.
  public var commandLocation: FileRange?
  /// npm's default for `npm start` without a start script when server.js exists: `node server.js`.
  public var isDefaultServer = false
  public var concurrently: Concurrently?

  /// The package managers whose `start`/`run X` runs a package.json script.
  static let managers: Set<String> = ["npm", "yarn", "pnpm"]

  /// The script `command` runs in `image`, when it is a package manager running a package script.
  static func of(_ command: CommandReference, image: ImageModel, directory: String? = nil) -> PackageScript? {
    guard let manager = command.programName, managers.contains(manager),
      command.arguments.allSatisfy({ $0 != nil }), let name = scriptName(manager: manager, arguments: command.literalArguments)
    else { return nil }
    var script = PackageScript(manager: manager, name: name)
    let workdir = directory ?? image.workdir
    guard let package = image.files.file(at: ImageFileSystem.normalize("package.json", workdir: workdir)) else { return script }
    script.package = package
    guard case .success(let root) = JSONParser.parse(package.source.bytes),
      let value = root["scripts"]?[name], let text = value.string
    else {
      if name == "start", manager == "npm", image.files.file(at: ImageFileSystem.normalize("server.js", workdir: workdir)) != nil {
        script.isDefaultServer = true
      }
      return script
    }
    script.command = text
    script.commandLocation = FileRange(file: package.source, range: value.range)
    script.concurrently = concurrently(text, value: value, in: package.source)
    return script
  }

  init(manager: String, name: String) {
    self.manager = manager
    self.name = name
  }

  /// The package.json script a command runs: `start`, `run X`, `run-script X`.
  static func scriptName(manager: String, arguments: [String]) -> String? {
    let words = arguments.filter { !$0.hasPrefix("-") }
    guard arguments.first.map({ !$0.hasPrefix("-") }) ?? false, let verb = words.first else { return nil }
    if verb == "start" { return "start" }
    if verb == "run" || verb == "run-script", words.count >= 2 { return words[1] }
    return nil
  }

  /// concurrently's options that take a value (`-n api,worker`), so the value is not a command.
  static let concurrentlyValueOptions: Set<String> = [
    "-n", "--names", "-c", "--prefix-colors", "-p", "--prefix", "-l", "--prefix-length", "-t", "--timestamp-format",
    "--name-separator", "-m", "--max-processes", "--restart-tries", "--restart-after", "-s", "--success",
    "--kill-signal", "--hide", "--default-input-target", "--handle-input-target", "--teardown", "--kill-timeout",
  ]

  /// The commands of a `concurrently …` script; nil when the script is something else.
  static func concurrently(_ text: String, value: JSONValue, in source: SourceFile) -> Concurrently? {
    let script = ShellScript.parse(MappedText(bytes: Array(text.utf8), verbatimFrom: 0))
    guard script.diagnostics.isEmpty, script.invocations.count == 1, let command = script.invocations.first?.command,
      let name = command.name, DaemonCatalog.basename(name) == "concurrently"
    else { return nil }
    var commands: [String] = []
    var killsOthers = false
    var words = command.words.dropFirst().makeIterator()
    while let word = words.next() {
      guard let literal = word.literalValue else { return nil }
      if literal == "--" { continue }
      if literal.hasPrefix("-"), literal.count > 1 {
        let option = String(literal.prefix { $0 != "=" })
        if option == "-k" || option == "--kill-others" || option == "--kill-others-on-fail" { killsOthers = true }
        if concurrentlyValueOptions.contains(option), !literal.contains("=") { _ = words.next() }
        continue
      }
      commands.append(literal)
    }
    // The bytes between the quotes are the text up to `concurrently ` when nothing before it is escaped.
    let content = value.contentRange
    let prefix = Array((name + " ").utf8)
    var insertion: FileRange? = nil
    if content.start + prefix.count <= source.bytes.count, source.bytes[content.start..<content.start + prefix.count].elementsEqual(prefix) {
      insertion = FileRange(file: source, range: .empty(at: content.start + prefix.count))
    }
    return Concurrently(commands: commands, killsOthers: killsOthers, optionInsertionPoint: insertion)
  }
}
