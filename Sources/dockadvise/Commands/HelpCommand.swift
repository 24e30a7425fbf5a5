import MultiProcAdvisor
/// `dockadvise help [COMMAND]`: the overview, or one command's usage.
enum HelpCommand {
  static let command = CLI.Command(
    name: "help", summary: "show help for dockadvise or one of its commands",
    usage: "usage: dockadvise help [COMMAND]\n", run: run)

  static var overview: String {
    var text = """
      dockadvise \(CLI.version): finds and fixes the ways a container gets PID 1 wrong

      usage: dockadvise COMMAND [OPTIONS] [ARGS]

      commands:

      """
    let width = CLI.commands.map(\.name.count).max() ?? 0
    for command in CLI.commands {
      text += "  " + command.name + String(repeating: " ", count: width - command.name.count + 2) + command.summary + "\n"
    }
    text += "\nrun 'dockadvise help COMMAND' or 'dockadvise COMMAND --help' for a command's options\n"
    return text
  }

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    guard let name = arguments.first else {
      io.stdout.write(overview)
      return .success
    }
    guard let command = CLI.commands.first(where: { $0.name == name }) else {
      let suggestion = Suggestion.closest(to: name, among: CLI.commands.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
      io.stderr.write("dockadvise: no command '\(name)'\(suggestion)\n")
      return .failure
    }
    io.stdout.write(command.usage)
    return .success
  }
}
