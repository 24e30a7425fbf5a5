import Foundation
import Testing

@testable import dockadvise

/// Golden files: where the fixtures are, how to run the CLI in-process over one, and how to compare
/// (or, with `DOCKADVISE_RECORD=1`, rewrite) an expected file.
enum Golden {
  /// The repository root, found from this file's path (no SwiftPM resources).
  static let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
  }()

  static let fixtures = repositoryRoot + "/Fixtures"

  static var recording: Bool { ProcessInfo.processInfo.environment["DOCKADVISE_RECORD"] == "1" }

  /// What one in-process run produced.
  struct Run {
    var status: ExitCode
    var stdout: String
    var stderr: String
  }

  /// Runs `dockadvise arguments…` in `directory` with buffered streams.
  static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: [UInt8] = []) -> Run {
    let io = CommandIO.buffered(stdin: stdin, currentDirectory: directory)
    let status = CLI.run(arguments: arguments, environment: environment, io: io)
    return Run(status: status, stdout: io.stdout.text, stderr: io.stderr.text)
  }

  /// The immediate subdirectories of `directory`, sorted.
  static func subdirectories(_ directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.sorted().filter { name in
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
    }
  }

  static func read(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The arguments of a case's `args` file (whitespace-separated, `#` comments), if it has one.
  static func arguments(in directory: String) -> [String]? {
    guard let text = read(directory + "/args") else { return nil }
    return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.flatMap { $0.split(separator: " ").map(String.init) }
  }

  /// Compares `actual` with the file at `path`; in record mode writes it instead.
  static func check(_ actual: String, against path: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if recording {
      try? actual.write(toFile: path, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = read(path) else {
      Issue.record("missing \(path); run the tests with DOCKADVISE_RECORD=1 to create it", sourceLocation: sourceLocation)
      return
    }
    if expected != actual {
      Issue.record("\(path) differs (DOCKADVISE_RECORD=1 rewrites it):\n\(lineDiff(expected: expected, actual: actual))", sourceLocation: sourceLocation)
    }
  }

  /// A small line diff: `-` expected, `+` actual, with the common lines around changes elided.
  static func lineDiff(expected: String, actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let difference = b.difference(from: a)
    var lines: [String] = []
    for change in difference {
      switch change {
      case .remove(let offset, let element, _): lines.append("-\(offset + 1): \(element)")
      case .insert(let offset, let element, _): lines.append("+\(offset + 1): \(element)")
      }
    }
    return lines.prefix(60).joined(separator: "\n")
  }
}
