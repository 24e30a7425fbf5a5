import MultiProcAdvisor

/// `dockadvise explain CODE|NAME`: what a rule finds, why it matters, examples, and the fix.
enum ExplainCommand {
  static let command = CLI.Command(
    name: "explain", summary: "explain a rule: why it matters, examples that trigger it and not, the fix",
    usage: """
      usage: dockadvise explain [--format text|markdown] [--no-color] CODE|NAME

      Prints the rule's summary, rationale, triggering and non-triggering examples (> marks the line and
      ^ the column where a finding starts), and what 'dockadvise fix' does. CODE is case-insensitive
      (da101); NAME is the kebab-case name (shell-form-pid1). --format markdown prints the rule's page
      as in docs/rules.

      """, run: run)

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    let scanned: Arguments
    switch Arguments.scan(arguments, options: [Arguments.Option("--format", "-f", value: "FORMAT"), .flag("--no-color")]) {
    case .success(let result): scanned = result
    case .failure(let problem):
      io.stderr.write("dockadvise explain: \(problem)\n")
      return .failure
    }
    guard scanned.operands.count == 1, let identifier = scanned.operands.first else {
      io.stderr.write(
        scanned.operands.isEmpty
          ? "dockadvise explain: which rule? give a code or a name, such as DA101 or shell-form-pid1 ('dockadvise rules' lists them)\n"
          : "dockadvise explain: one rule at a time\n")
      return .failure
    }
    let format: String
    switch Arguments.choice(scanned.last("--format") ?? "text", for: "--format", among: ["text", "markdown"]) {
    case .success(let chosen): format = chosen
    case .failure(let problem):
      io.stderr.write("dockadvise explain: \(problem)\n")
      return .failure
    }
    guard let rule = RuleRegistry.rule(identifier) else {
      let candidates = RuleRegistry.identifiers.flatMap { [$0.id, $0.name] }
      var message = "dockadvise explain: no rule '\(identifier)'"
      if let close = Suggestion.closest(to: identifier, among: candidates) {
        message += " (did you mean '\(close)'?)"
      } else if let partial = RuleRegistry.identifiers.first(where: { $0.name.contains(identifier.lowercased()) && identifier.count >= 3 }) {
        message += " (did you mean '\(partial.name)'?)"
      }
      io.stderr.write(message + "; 'dockadvise rules' lists them\n")
      return .failure
    }
    if format == "markdown" {
      io.stdout.write(RuleDocumentation.markdown(rule.description))
    } else {
      let color = Terminal.colorEnabled(
        mode: nil, noColorFlag: scanned.has("--no-color"), environment: environment, isTerminal: io.stdoutIsTerminal)
      io.stdout.write(RuleDocumentation.explain(rule.description, terminal: Terminal(color: color)))
    }
    return .success
  }
}
