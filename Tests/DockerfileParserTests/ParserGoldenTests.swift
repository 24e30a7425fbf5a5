import Foundation
import Testing
@testable import DockerfileParser

/// Golden cases written for this project: `Fixtures/parser/<case>/{Dockerfile,expected.ast}` (the
/// syntax dump) and `Fixtures/parser-negative/<case>/{Dockerfile,expected.issues}` (the diagnostics).
/// `DOCKADVISE_RECORD=1 swift test` rewrites the expected files for review in git.
@Suite struct ParserGoldenTests {
  static let record = ProcessInfo.processInfo.environment["DOCKADVISE_RECORD"] == "1"

  static func cases(_ folder: String) -> [String] {
    let url = TestData.fixtures.appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted()
  }

  static func read(_ folder: String, _ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: TestData.fixtures.appendingPathComponent(folder).appendingPathComponent(name)))
  }

  /// Compares `actual` with the expected file (or records it) and reports a line diff.
  static func compare(_ actual: String, folder: String, file: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let url = TestData.fixtures.appendingPathComponent(folder).appendingPathComponent(file)
    if record {
      try Data(actual.utf8).write(to: url)
      return
    }
    let expected = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    if expected != actual {
      Issue.record(Comment(rawValue: "\(folder)/\(file) differs:\n" + lineDiff(expected, actual)), sourceLocation: sourceLocation)
    }
  }

  /// A minimal line diff: `-` expected, `+` actual, for the lines that differ.
  static func lineDiff(_ expected: String, _ actual: String) -> String {
    let left = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let right = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var output: [String] = []
    for index in 0..<max(left.count, right.count) {
      let a = index < left.count ? String(left[index]) : nil
      let b = index < right.count ? String(right[index]) : nil
      if a != b {
        if let a { output.append("-\(index + 1): \(a)") }
        if let b { output.append("+\(index + 1): \(b)") }
      }
    }
    return output.joined(separator: "\n")
  }

  @Test func fixturesExist() {
    #expect(Self.cases("parser").count >= 10)
    #expect(Self.cases("parser-negative").count >= 8)
  }

  @Test(arguments: cases("parser"))
  func parserGolden(_ name: String) throws {
    let folder = "parser/\(name)"
    let bytes = try Self.read(folder, "Dockerfile")
    let file = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: bytes))
    #expect(file.printed() == bytes)
    #expect(Invariants.violation(file) == nil)
    #expect(!file.hasErrors, "\(file.issues.map { $0.formatted(in: file.source) })")
    try Self.compare(file.syntaxDump(), folder: folder, file: "expected.ast")
  }

  @Test(arguments: cases("parser-negative"))
  func negativeGolden(_ name: String) throws {
    let folder = "parser-negative/\(name)"
    let bytes = try Self.read(folder, "Dockerfile")
    let file = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: bytes))
    #expect(file.printed() == bytes)
    #expect(Invariants.violation(file) == nil)
    #expect(file.hasErrors)
    let issues = file.issues.map { $0.formatted(in: file.source) + "\n" }.joined()
    try Self.compare(issues, folder: folder, file: "expected.issues")
  }
}
