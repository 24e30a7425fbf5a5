import Foundation
import DockerfileParser
import Testing
@testable import MultiProcAdvisor

/// Runs rule examples: lints an `Example` in memory and compares findings with its `↓` markers.
enum ExampleHarness {
  static func request(_ example: Example, dockerfile: String? = nil, files: [String: String]? = nil, strategy: Strategy = .swiftInit) -> Linter.Request {
    let context = InMemoryBuildContext(files: files ?? example.cleanFiles)
    var target: String? = nil
    if let index = example.options.firstIndex(of: "--target"), index + 1 < example.options.count { target = example.options[index + 1] }
    return Linter.Request(
      dockerfile: SourceFile(path: "Dockerfile", text: dockerfile ?? example.cleanDockerfile), context: context, target: target,
      strategy: strategy)
  }

  static func findings(_ rule: any Rule.Type, _ example: Example, dockerfile: String? = nil, files: [String: String]? = nil) -> [Finding] {
    Linter.lint(request(example, dockerfile: dockerfile, files: files)).findings.filter { $0.ruleID == rule.description.id }
  }

  /// (file, offset) of every marker of the example.
  static func expectedPositions(_ example: Example) -> [String] {
    var positions = example.markerOffsets().map { "Dockerfile@\($0)" }
    for path in example.files.keys.sorted() {
      positions += example.markerOffsets(in: path).map { "\(path)@\($0)" }
    }
    return positions.sorted()
  }

  static func positions(_ findings: [Finding]) -> [String] {
    findings.map { "\($0.location.file.path)@\($0.location.range.start)" }.sorted()
  }

  static func sourceLocation(_ example: Example) -> Testing.SourceLocation {
    Testing.SourceLocation(fileID: "MultiProcAdvisor/\(example.sourceFile.split(separator: "/").last ?? "")", filePath: example.sourceFile, line: example.sourceLine, column: 1)
  }

  /// The example with `# dockadvise ignore=ID` on its own line above each marked line. A marker in a
  /// file that cannot hold a comment there (an s6 `type` file, a shebang line) is silenced from the
  /// Dockerfile with `# dockadvise global ignore=ID` instead.
  static func suppressed(_ example: Example, id: String) -> (String, [String: String]) {
    var global = false
    func insert(_ text: String, isDockerfile: Bool) -> String {
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      var index = 0
      while index < lines.count {
        if lines[index].contains(Example.marker) {
          let line = lines[index].replacing(Example.marker, with: "")
          if !isDockerfile && (!text.hasPrefix("#!") && !text.hasPrefix("↓#!") || line.hasPrefix("#!") || text.contains("[program:") || text.contains("[supervisord]")) {
            if !text.contains("[program:") && !text.contains("[supervisord]") || line.hasPrefix("[") { global = true; index += 1; continue }
          }
          if isDockerfile && index == 0 && line.hasPrefix("#") { global = true; index += 1; continue }
          let indentation = String(lines[index].prefix { $0 == " " || $0 == "\t" })
          lines.insert(indentation + "# dockadvise ignore=\(id)", at: index)
          index += 1
        }
        index += 1
      }
      return lines.joined(separator: "\n").replacing(Example.marker, with: "")
    }
    var dockerfile = insert(example.dockerfile, isDockerfile: true)
    let files = example.files.mapValues { insert($0, isDockerfile: false) }
    if global { dockerfile = DockerfileText.insertAfterDirectives("# dockadvise global ignore=\(id)\n", into: dockerfile) }
    return (dockerfile, files)
  }

  /// Applies fixes to a fixed point and returns the Dockerfile and every file afterwards.
  static func fixed(_ example: Example, options: [String], rule: String? = nil) -> (dockerfile: String, files: [String: String], outcome: Fixer.Outcome) {
    var strategy = Strategy.swiftInit
    if let index = options.firstIndex(of: "--strategy"), index + 1 < options.count, let chosen = Strategy(rawValue: options[index + 1]) { strategy = chosen }
    let unsafe = options.contains("--unsafe") || options.contains("--strategy")
    var fixOptions = Fixer.Options(includeUnsafe: unsafe, strategy: strategy, rules: rule.map { [$0] })
    fixOptions.strategyRequested = options.contains("--strategy")
    let outcome = Fixer.fix(request(example, strategy: strategy), options: fixOptions)
    var files = example.cleanFiles
    for (path, bytes) in outcome.files where path != "Dockerfile" { files[path] = String(decoding: bytes, as: UTF8.self) }
    return (String(decoding: outcome.dockerfile, as: UTF8.self), files, outcome)
  }
}

/// Small helpers for test Dockerfile texts.
enum DockerfileText {
  /// Inserts `line` after the leading parser directives (`# syntax=`, `# escape=`, `# check=`), which
  /// must stay first to count as directives.
  static func insertAfterDirectives(_ line: String, into text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var index = 0
    while index < lines.count, lines[index].range(of: #"^#\s*(syntax|escape|check)\s*="#, options: [.regularExpression, .caseInsensitive]) != nil {
      index += 1
    }
    lines.insert(contentsOf: line.split(separator: "\n").map(String.init), at: index)
    return lines.joined(separator: "\n")
  }
}
