import DockerfileParser
import Foundation
import MultiProcAdvisor

/// `dockadvise inspect [--context DIR] [--target STAGE] DOCKERFILE`: what dockadvise understood about
/// the image — the final stage, ENTRYPOINT and CMD, the PID 1 chain, components and services.
enum InspectCommand {
  static let command = CLI.Command(
    name: "inspect", summary: "show what runs as PID 1 and what dockadvise understood about the image",
    usage: """
      usage: dockadvise inspect [--context DIR] [--target STAGE] DOCKERFILE

      Prints the final stage, the effective ENTRYPOINT and CMD, the chain of processes PID 1 runs (inits,
      shells and their background jobs, waits and traps, supervisord, s6-overlay, the application), the
      components installed and the supervised services. The context defaults to the Dockerfile's directory.

      """, run: run)

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    var context: String? = nil
    var target: String? = nil
    var paths: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      switch argument {
      case "--context", "--target":
        guard index < arguments.count else {
          io.stderr.write("dockadvise inspect: \(argument) needs a value\n")
          return .failure
        }
        if argument == "--context" { context = arguments[index] } else { target = arguments[index] }
        index += 1
      default:
        if argument.hasPrefix("-") {
          let suggestion = Suggestion.closest(to: argument, among: ["--context", "--target"]).map { " (did you mean '\($0)'?)" } ?? ""
          io.stderr.write("dockadvise inspect: unknown option '\(argument)'\(suggestion)\n")
          return .failure
        }
        paths.append(argument)
      }
    }
    guard paths.count == 1, let path = paths.first else {
      io.stderr.write("dockadvise inspect: expected one Dockerfile\n" + command.usage)
      return .failure
    }
    let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: io.currentDirectory))
    let data: [UInt8]
    switch FileInput.read(url.path, io: io) {
    case .failure(let error):
      io.stderr.write("\(path): error: \(error.message)\n")
      return .failure
    case .success(let file):
      data = file.bytes
    }
    let contextRoot = context ?? url.deletingLastPathComponent().path
    let displayRoot = context ?? (path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : ".")
    let request = Linter.Request(
      dockerfile: SourceFile(path: path, bytes: data), context: DiskBuildContext(root: contextRoot, displayRoot: displayRoot),
      target: target)
    io.stdout.write(ModelDescription.describe(Linter.analyse(request)))
    return .success
  }
}
