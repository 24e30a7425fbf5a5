import MultiProcAdvisor

/// `dockadvise emit-init [--force] DIR`: writes the sources of dockadvise-init and its `build.sh` into DIR.
enum EmitInitCommand {
  static let command = CLI.Command(
    name: "emit-init", summary: "write the sources of dockadvise-init (a small PID 1) and its build script",
    usage: """
      usage: dockadvise emit-init [--force] DIR

      Writes the Embedded Swift sources of dockadvise-init and an executable DIR/build.sh into DIR (created
      if needed). `DIR/build.sh OUTPUT` compiles the static init with swiftc and musl-gcc (or cc -static).
      Files are replaced atomically; a file that dockadvise did not write, or that was edited since, is
      left alone and nothing is written, unless --force is given.

      options:
        -f, --force   overwrite files that dockadvise did not write

      """, run: run)

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    var force = false
    var directories: [String] = []
    var onlyOperands = false
    for argument in arguments {
      if onlyOperands || !argument.hasPrefix("-") || argument == "-" {
        directories.append(argument)
      } else if argument == "--" {
        onlyOperands = true
      } else if argument == "--force" || argument == "-f" {
        force = true
      } else {
        let suggestion = Suggestion.closest(to: argument, among: ["--force"]).map { " (did you mean '\($0)'?)" } ?? ""
        io.stderr.write("dockadvise: emit-init: unknown option '\(argument)'\(suggestion)\n")
        return .failure
      }
    }
    guard directories.count == 1, let directory = directories.first, !directory.isEmpty else {
      io.stderr.write("dockadvise: emit-init: expected one directory\n" + command.usage)
      return .failure
    }
    var path = directory.hasPrefix("/") ? directory : io.currentDirectory + "/" + directory
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    do {
      let result = try EmbeddedInit.write(to: path, force: force)
      var line = "dockadvise: wrote \(result.written.count) of \(EmbeddedInit.files.count) files to \(directory)"
      if !result.unchanged.isEmpty { line += " (\(result.unchanged.count) unchanged)" }
      if !result.removed.isEmpty { line += ", removed \(result.removed.joined(separator: ", "))" }
      let script =
        directory.hasSuffix("/") ? directory + EmbeddedInit.buildScript : directory + "/" + EmbeddedInit.buildScript
      io.stdout.write(line + "\nbuild it with: \(script) OUTPUT\n")
      return .success
    } catch {
      io.stderr.write("dockadvise: emit-init: \(error)\n")
      return .failure
    }
  }
}
