import MultiProcAdvisor

/// `dockadvise rules [--format text|json|markdown] [--write-docs DIR [--check]]`: the rule catalogue.
enum RulesCommand {
  static let command = CLI.Command(
    name: "rules", summary: "list every rule: code, name, severity, whether it has a fix, summary",
    usage: """
      usage: dockadvise rules [--format text|json|markdown]
             dockadvise rules --write-docs DIR [--check]

        -f, --format text      a table (the default)
        -f, --format json      [{"code", "name", "severity", "family", "fixable", "summary", "help_uri"}]
        -f, --format markdown  the index of the rule pages (DIR/README.md)
        --write-docs DIR       write DIR/README.md and one DIR/<CODE>.md page per rule, generated from the
                               rule descriptions (the repository keeps them in docs/rules)
        --check                with --write-docs: write nothing, exit 1 if a page is missing or differs

      """, run: run)

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    let scanned: Arguments
    switch Arguments.scan(
      arguments, options: [Arguments.Option("--format", "-f", value: "FORMAT"), Arguments.Option("--write-docs", value: "DIR"), .flag("--check")])
    {
    case .success(let result): scanned = result
    case .failure(let problem):
      io.stderr.write("dockadvise rules: \(problem)\n")
      return .failure
    }
    if let operand = scanned.operands.first {
      let suggestion = RuleRegistry.rule(operand) != nil ? " (to read about a rule: dockadvise explain \(operand))" : ""
      io.stderr.write("dockadvise rules: unexpected argument '\(operand)'\(suggestion)\n")
      return .failure
    }
    if let directory = scanned.last("--write-docs") {
      return writeDocs(to: directory, check: scanned.has("--check"), io: io)
    }
    if scanned.has("--check") {
      io.stderr.write("dockadvise rules: --check goes with --write-docs DIR\n")
      return .failure
    }
    let format: String
    switch Arguments.choice(scanned.last("--format") ?? "text", for: "--format", among: ["text", "json", "markdown"]) {
    case .success(let chosen): format = chosen
    case .failure(let problem):
      io.stderr.write("dockadvise rules: \(problem)\n")
      return .failure
    }
    switch format {
    case "json": io.stdout.write(JSONWriter().write(json()))
    case "markdown": io.stdout.write(RuleDocumentation.index())
    default: io.stdout.write(table())
    }
    return .success
  }

  static func table() -> String {
    let rules = RuleRegistry.descriptions
    let nameWidth = max(4, rules.map(\.name.count).max() ?? 0)
    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    var text = "CODE   " + pad("NAME", nameWidth) + "  SEVERITY  FIX  SUMMARY\n"
    for rule in rules {
      text += pad(rule.id, 5) + "  " + pad(rule.name, nameWidth) + "  " + pad(rule.severity.rawValue, 8) + "  "
      text += pad(rule.hasFix ? "yes" : "-", 3) + "  " + rule.summary + "\n"
    }
    return text
  }

  static func json() -> JSONWriter.Value {
    .array(
      RuleRegistry.descriptions.map { rule in
        .object([
          ("code", .string(rule.id)),
          ("name", .string(rule.name)),
          ("severity", .string(rule.severity.rawValue)),
          ("family", .string(RuleDocumentation.family(rule.id))),
          ("fixable", .bool(rule.hasFix)),
          ("summary", .string(rule.summary)),
          ("help_uri", .string(rule.helpURI)),
        ])
      })
  }

  /// Writes (or with `check`, compares) the generated pages.
  static func writeDocs(to directory: String, check: Bool, io: CommandIO) -> ExitCode {
    let absolute = Paths.absolute(directory, from: io.currentDirectory)
    if !check {
      switch FileSystem.kind(absolute) {
      case .directory: break
      case .missing:
        if let problem = FileSystem.makeDirectories(absolute) {
          io.stderr.write("dockadvise rules: cannot create '\(directory)': \(problem)\n")
          return .failure
        }
      default:
        io.stderr.write("dockadvise rules: '\(directory)' is not a directory\n")
        return .failure
      }
    }
    var stale: [String] = []
    var written = 0
    for file in RuleDocumentation.files() {
      let path = absolute + "/" + file.path
      let bytes = Array(file.text.utf8)
      if case .success(let existing) = FileSystem.read(path), existing == bytes { continue }
      if check {
        stale.append(Paths.join(directory, file.path))
        continue
      }
      if let problem = FileSystem.writeAtomically(bytes, to: path) {
        io.stderr.write("dockadvise rules: cannot write '\(Paths.join(directory, file.path))': \(problem)\n")
        return .failure
      }
      written += 1
    }
    // Pages of rules that no longer exist.
    let expected = Set(RuleDocumentation.files().map(\.path))
    let extra = (FileSystem.list(absolute) ?? []).map(\.name).filter { $0.hasPrefix("DA") && $0.hasSuffix(".md") && !expected.contains($0) }
    if check {
      for path in stale { io.stderr.write("\(path): error: out of date; run 'dockadvise rules --write-docs \(directory)'\n") }
      for name in extra { io.stderr.write("\(Paths.join(directory, name)): error: no rule has this code any more; delete it\n") }
      return stale.isEmpty && extra.isEmpty ? .success : .findings
    }
    for name in extra { io.stderr.write("\(Paths.join(directory, name)): warning: no rule has this code any more; delete it\n") }
    io.stderr.write("dockadvise: wrote \(written) of \(expected.count) pages to \(directory)\n")
    return .success
  }
}
