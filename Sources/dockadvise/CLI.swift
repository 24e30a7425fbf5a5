import MultiProcAdvisor
/// The command-line entry point: picks the command and runs it.
enum CLI {
  static let version = "0.1.0"

  /// A subcommand: its name, one-line summary, usage text, and what runs it.
  struct Command: Sendable {
    var name: String
    var summary: String
    var usage: String
    var run: @Sendable (_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode
  }

  /// Every command, in the order `help` lists them.
  static let commands: [Command] = [
    LintCommand.command,
    FixCommand.command,
    RulesCommand.command,
    ExplainCommand.command,
    HelpCommand.command,
    ParseCommand.command,
    EmitInitCommand.command,
    InspectCommand.command,
    LSPCommand.command,
  ]

  static func run(arguments: [String], environment: [String: String], io: CommandIO) -> ExitCode {
    guard let first = arguments.first else {
      io.stderr.write(HelpCommand.overview)
      return .failure
    }
    switch first {
    case "--version", "-V", "version":
      io.stdout.write("dockadvise \(version)\n")
      return .success
    case "-h", "--help":
      io.stdout.write(HelpCommand.overview)
      return .success
    default:
      break
    }
    guard let command = commands.first(where: { $0.name == first }) else {
      let suggestion = Suggestion.closest(to: first, among: commands.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
      io.stderr.write("dockadvise: unknown command '\(first)'\(suggestion); run 'dockadvise help' for the list\n")
      return .failure
    }
    let rest = Array(arguments.dropFirst())
    if rest.contains("-h") || rest.contains("--help") {
      io.stdout.write(command.usage)
      return .success
    }
    return command.run(rest, environment, io)
  }
}
