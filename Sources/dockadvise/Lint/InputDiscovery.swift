import MultiProcAdvisor

/// One thing to lint: a Dockerfile on disk or standard input, or an operand that named nothing usable.
enum LintInput: Equatable, Sendable {
  /// A Dockerfile: the path as reports show it and the absolute path to read.
  case file(display: String, absolute: String)
  /// Standard input (`-`), shown as `display`.
  case standardInput(display: String)
  /// An operand that cannot be linted, and why.
  case problem(display: String, InputProblem)

  var display: String {
    switch self {
    case .file(let display, _), .standardInput(let display), .problem(let display, _): display
    }
  }
}

/// Turns `lint` operands into Dockerfiles: files as given, directories searched recursively.
enum InputDiscovery {
  /// Directories never searched.
  static let skippedDirectories: Set<String> = [".git", ".build"]

  /// The names a directory search picks up (files given by name are linted whatever their name).
  static let patterns = ["Dockerfile", "Containerfile", "*.Dockerfile", "*.dockerfile", "Dockerfile.*", "Containerfile.*"]

  /// Whether a directory search lints a file of this name: `Dockerfile`, `Containerfile`,
  /// `*.Dockerfile`, `*.dockerfile`, `Dockerfile.*`, `Containerfile.*`, but not the `.dockerignore`
  /// files BuildKit pairs with them (`Dockerfile.dockerignore`) or oracle dumps (`*.oracle.json`).
  static func isDockerfileName(_ name: String) -> Bool {
    if name.hasSuffix(".dockerignore") || name.hasSuffix(".oracle.json") { return false }
    if name == "Dockerfile" || name == "Containerfile" { return true }
    if name.count > 11, name.hasSuffix(".Dockerfile") || name.hasSuffix(".dockerfile") { return true }
    if name.count > 11, name.hasPrefix("Dockerfile.") { return true }
    if name.count > 14, name.hasPrefix("Containerfile.") { return true }
    return false
  }

  /// The inputs for `operands` (the current directory when there are none), in operand order, each
  /// directory's Dockerfiles sorted by path; a file named twice is linted once.
  static func discover(_ operands: [String], currentDirectory: String, stdinName: String?) -> [LintInput] {
    var inputs: [LintInput] = []
    var seen: Set<String> = []
    let list = operands.isEmpty ? ["."] : operands
    for operand in list {
      if operand == "-" {
        inputs.append(.standardInput(display: stdinName.map(Paths.normalize) ?? "<stdin>"))
        continue
      }
      let display = Paths.normalize(operand)
      let absolute = Paths.absolute(operand, from: currentDirectory)
      switch FileSystem.kind(absolute) {
      case .file:
        if seen.insert(absolute).inserted { inputs.append(.file(display: display, absolute: absolute)) }
      case .directory:
        var found: [LintInput] = []
        walk(absolute: absolute, display: display, into: &found)
        if found.isEmpty {
          let message =
            "is a directory with no Dockerfiles in it (searched recursively for "
            + Arguments.list(patterns) + "; name a file to lint it whatever its name)"
          inputs.append(.problem(display: display, InputProblem(message)))
        }
        for input in found {
          if case .file(_, let path) = input, !seen.insert(path).inserted { continue }
          inputs.append(input)
        }
      case .missing:
        inputs.append(.problem(display: display, InputProblem("no such file or directory" + suggestion(for: absolute))))
      case .special(let what):
        inputs.append(.problem(display: display, InputProblem("is \(what), not a regular file; dockadvise reads only regular files")))
      case .unreadable(let reason):
        inputs.append(.problem(display: display, InputProblem("cannot read: \(reason)")))
      }
    }
    return inputs
  }

  /// ` (did you mean 'Dockerfile'?)` when a sibling of the missing path has a close name.
  static func suggestion(for absolute: String) -> String {
    let directory = Paths.directory(of: absolute)
    guard let entries = FileSystem.list(directory) else { return "" }
    let name = Paths.basename(absolute)
    return Suggestion.closest(to: name, among: entries.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
  }

  /// Depth-first, names sorted, symbolic links to directories not followed (no cycles).
  static func walk(absolute: String, display: String, into inputs: inout [LintInput]) {
    guard let entries = FileSystem.list(absolute) else { return }
    for entry in entries {
      let childAbsolute = absolute == "/" ? "/" + entry.name : absolute + "/" + entry.name
      let childDisplay = Paths.join(display, entry.name)
      switch entry.kind {
      case .directory:
        if entry.isLink || skippedDirectories.contains(entry.name) { continue }
        walk(absolute: childAbsolute, display: childDisplay, into: &inputs)
      case .file:
        if isDockerfileName(entry.name) { inputs.append(.file(display: childDisplay, absolute: childAbsolute)) }
      case .special(let what):
        if isDockerfileName(entry.name) {
          inputs.append(.problem(display: childDisplay, InputProblem("is \(what), not a regular file; dockadvise reads only regular files")))
        }
      case .unreadable(let reason):
        // A symlink loop, or a file that cannot be inspected: an error that names it, never silence.
        if isDockerfileName(entry.name) { inputs.append(.problem(display: childDisplay, InputProblem("cannot read: \(reason)"))) }
      case .missing:
        continue
      }
    }
  }
}
