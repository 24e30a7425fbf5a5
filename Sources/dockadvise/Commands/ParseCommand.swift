import MultiProcAdvisor
import DockerfileParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dockadvise parse [--format json|buildkit|source|none] FILE...`: shows how BuildKit reads a
/// Dockerfile, or prints it back from the syntax tree.
enum ParseCommand {
  static let command = CLI.Command(
    name: "parse", summary: "show how BuildKit reads a Dockerfile (or print it back from the syntax tree)",
    usage: """
      usage: dockadvise parse [--format json|buildkit|source|none] FILE...

      Parses each FILE ('-' reads standard input) exactly as Docker's BuildKit does.

        --format json      one JSON document per file: {"instructions": [{"cmd", "sub_cmd", "flags", "json",
                           "value", "start_line", "end_line", "heredocs"}]} (the default)
        --format buildkit  BuildKit's AST dump, one S-expression per instruction
        --format source    the file printed back from the syntax tree (identical to the input)
        --format none      parse only (for benchmarks)

      Diagnostics go to standard error as FILE:LINE:COLUMN: error|warning: MESSAGE.
      Exit status: 0 when every file parses, 2 when a file cannot be read or has an error.

      """, run: run)

  enum Format: String, CaseIterable {
    case json, buildkit, source, none
  }

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    var format = Format.json
    var files: [String] = []
    var bench = false
    var passes = 5
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      var value: String?
      if argument == "--format" || argument == "-f" {
        guard index < arguments.count else {
          io.stderr.write("dockadvise parse: --format needs a value (json, buildkit, source or none)\n")
          return .failure
        }
        value = arguments[index]
        index += 1
      } else if argument.hasPrefix("--format=") {
        value = String(argument.dropFirst("--format=".count))
      } else if argument == "--bench" {
        // Hidden: read every file, then time only the parsing (CPU time of this thread).
        bench = true
        continue
      } else if argument.hasPrefix("--bench-passes=") {
        passes = max(1, Int(argument.dropFirst("--bench-passes=".count)) ?? 5)
        bench = true
        continue
      } else if argument == "--" {
        files.append(contentsOf: arguments[index...])
        break
      } else if argument.hasPrefix("-") && argument != "-" {
        let suggestion = Suggestion.closest(to: argument, among: ["--format"]).map { " (did you mean '\($0)'?)" } ?? ""
        io.stderr.write("dockadvise parse: unknown option '\(argument)'\(suggestion)\n")
        return .failure
      } else {
        files.append(argument)
        continue
      }
      if let value {
        guard let chosen = Format(rawValue: value) else {
          let suggestion = Suggestion.closest(to: value, among: Format.allCases.map(\.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
          io.stderr.write("dockadvise parse: unknown format '\(value)'\(suggestion); expected json, buildkit, source or none\n")
          return .failure
        }
        format = chosen
      }
    }
    guard !files.isEmpty else {
      io.stderr.write("dockadvise parse: expected a Dockerfile path (or '-' for standard input)\n")
      io.stderr.write(command.usage)
      return .failure
    }
    if bench { return ParseBenchmark.run(files, passes: passes, io: io) }
    var status = ExitCode.success
    for path in files {
      if parse(path, format: format, io: io) != .success { status = .failure }
    }
    return status
  }

  /// Parses one file and writes its output; `.failure` when it is unreadable or has an error.
  static func parse(_ path: String, format: Format, io: CommandIO) -> ExitCode {
    let source: SourceFile
    switch FileInput.read(path, io: io) {
    case .failure(let error):
      io.stderr.write("\(path == "-" ? "<stdin>" : path):1:1: error: \(error.message)\n")
      return .failure
    case .success(let file):
      source = file
    }
    let dockerfile = Dockerfile.parse(source)
    var diagnostics = ""
    for issue in dockerfile.issues {
      diagnostics += issue.formatted(in: source) + "\n"
    }
    if !diagnostics.isEmpty { io.stderr.write(diagnostics) }
    if dockerfile.parserAccepts {
      switch format {
      case .json: io.stdout.write(JSONWriter().write(ParseOutput.json(dockerfile)))
      case .buildkit: io.stdout.write(dockerfile.buildKitDump())
      case .source: io.stdout.write(dockerfile.printed())
      case .none: break
      }
    } else if format == .source {
      io.stdout.write(dockerfile.printed())
    }
    return dockerfile.hasErrors ? .failure : .success
  }
}

/// Reads a command's input file, or standard input for `-`.
enum FileInput {
  static func read(_ path: String, io: CommandIO) -> Result<SourceFile, FileError> {
    if path == "-" { return .success(SourceFile(path: "<stdin>", bytes: io.readStandardInput())) }
    let resolved = path.hasPrefix("/") ? path : io.currentDirectory + "/" + path
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then rejects anything but a regular file.
    let descriptor = open(resolved, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(FileError(errno: errno)) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failure(FileError(errno: errno)) }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return .failure(FileError(message: "cannot read file: it is a directory"))
    default: return .failure(FileError(message: "cannot read file: not a regular file (a FIFO, socket or device)"))
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(max(0, Int(info.st_size)))
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        return .failure(FileError(errno: errno))
      }
      bytes.append(contentsOf: buffer[0..<count])
    }
    return .success(SourceFile(path: path, bytes: bytes))
  }

  /// Why a file could not be read.
  struct FileError: Error {
    var message: String

    init(message: String) { self.message = message }

    init(errno code: Int32) {
      switch code {
      case ENOENT, ENOTDIR: message = "cannot read file: no such file or directory"
      case EACCES, EPERM: message = "cannot read file: permission denied"
      case EISDIR: message = "cannot read file: it is a directory"
      case ELOOP: message = "cannot read file: too many levels of symbolic links"
      default: message = "cannot read file: \(String(cString: strerror(code)))"
      }
    }
  }
}

