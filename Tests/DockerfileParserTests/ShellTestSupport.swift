import Foundation

@testable import DockerfileParser

/// Helpers shared by the shell parser tests.
enum ShellTestSupport {
  /// The repository root, found from this file.
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  /// `../shared/corpus` next to the repository.
  static let corpusRoot = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
  static let fixturesRoot = repositoryRoot.appendingPathComponent("Fixtures/shell")

  static func parse(_ code: String, dialect: ShellDialect = .posix) -> ShellScript {
    ShellScript.parse(code, dialect: dialect)
  }

  /// The tree of `code` without the outer `(list …)`.
  static func dump(_ code: String) -> String {
    let text = ShellScript.parse(code).dump
    return String(text.dropFirst(6).dropLast())
  }

  /// The text of `range` in `code`.
  static func text(_ code: String, _ range: SourceRange) -> String {
    let bytes = Array(code.utf8)
    return String(decoding: bytes[range.start..<range.end], as: UTF8.self)
  }

  static func readFile(_ url: URL) -> [UInt8]? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    return [UInt8](data)
  }

  /// Runs `sh -c script args…` and returns its standard output.
  static func run(_ script: String, _ arguments: [String]) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script, "sh"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return "" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  static func isInstalled(_ program: String) -> Bool {
    run("command -v \"$1\" >/dev/null && echo yes", [program]).hasPrefix("yes")
  }

  /// Whether `shell -n` accepts each file: it exits 0 and prints nothing but warnings. (bash exits 0 after
  /// "conditional binary operator expected" in `[[ a ]`, but still reports a syntax error.)
  static func syntaxCheck(_ shell: String, _ paths: [String]) -> [String: Bool] {
    let script = """
      shell=$1; shift
      for f in "$@"; do
        out=$("$shell" -n "$f" 2>&1); rc=$?
        if [ $rc -ne 0 ] || printf '%s\\n' "$out" | grep -v 'warning:' | grep -q .; then
          echo "REJECT $f"
        else
          echo "ACCEPT $f"
        fi
      done
      """
    var result: [String: Bool] = [:]
    var start = 0
    while start < paths.count {
      let batch = Array(paths[start..<min(paths.count, start + 200)])
      start += 200
      for line in run(script, [shell] + batch).split(separator: "\n") {
        if line.hasPrefix("ACCEPT ") { result[String(line.dropFirst(7))] = true }
        if line.hasPrefix("REJECT ") { result[String(line.dropFirst(7))] = false }
      }
    }
    return result
  }

  /// Writes each snippet to a file in a fresh temporary folder; returns the paths in order.
  static func writeSnippets(_ snippets: [String], name: String) -> [String] {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("dockadvise-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return snippets.enumerated().map { index, snippet in
      let url = folder.appendingPathComponent("snippet-\(index).sh")
      _ = FileManager.default.createFile(atPath: url.path, contents: Data(snippet.utf8))
      return url.path
    }
  }

  /// Snippets in a fixture file, separated by lines `#----`.
  static func snippets(_ fixture: String) -> [String] {
    guard let bytes = readFile(fixturesRoot.appendingPathComponent(fixture)) else { return [] }
    let text = String(decoding: bytes, as: UTF8.self)
    return text.components(separatedBy: "\n#----\n").map { $0.hasSuffix("\n#----") ? String($0.dropLast(6)) : $0 }
      .filter { !$0.isEmpty }
  }
}
