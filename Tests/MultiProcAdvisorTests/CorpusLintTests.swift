import DockerfileParser
import Foundation
import Testing
@testable import MultiProcAdvisor

/// Lints every real-world and official Dockerfile of the shared corpus with its build context: no crash,
/// no DA002 on a script bash accepts, and the findings match the reviewed golden list.
@Suite struct CorpusLintTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

  /// Every Dockerfile that has BuildKit's parse beside it, as (path relative to the corpus, context directory).
  static func dockerfiles(in folder: String) -> [(String, URL)] {
    let root = corpus.appendingPathComponent(folder)
    guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var result: [(String, URL)] = []
    for case let path as String in enumerator {
      let oracle: String
      if path.hasSuffix(".oracle.json") {
        oracle = String(path.dropLast(".oracle.json".count))
      } else if path.hasSuffix("/oracle.json") {
        oracle = String(path.dropLast("oracle.json".count)) + "Dockerfile"
      } else {
        continue
      }
      let file = root.appendingPathComponent(oracle)
      guard FileManager.default.fileExists(atPath: file.path) else { continue }
      result.append((folder + "/" + oracle, file.deletingLastPathComponent()))
    }
    return result.sorted { $0.0 < $1.0 }
  }

  static func lint(_ relative: String, context: URL) -> [Finding] {
    let file = corpus.appendingPathComponent(relative)
    let bytes = Array((try? Data(contentsOf: file)) ?? Data())
    let contextDisplay = String(relative.dropLast(file.lastPathComponent.count)).trimmed(in: "/")
    let request = Linter.Request(
      dockerfile: SourceFile(path: relative, bytes: bytes),
      context: DiskBuildContext(root: context.path, displayRoot: contextDisplay))
    return Linter.lint(request).findings
  }

  static func render(_ findings: [Finding]) -> String {
    findings.map { "\($0.location.file.path):\($0.location.start.line):\($0.location.start.column): \($0.ruleID) \($0.message)" }.joined(separator: "\n")
  }

  @Test func realWorldFindingsMatchTheReviewedList() throws {
    let files = Self.dockerfiles(in: "realworld")
    guard !files.isEmpty else {
      print("skipped: the shared corpus is not at \(Self.corpus.path)")
      return
    }
    var output = ""
    for (relative, context) in files {
      output += "== \(relative)\n"
      let findings = Self.lint(relative, context: context)
      if !findings.isEmpty { output += Self.render(findings) + "\n" }
    }
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/corpus/realworld.expected.txt")
    if ProcessInfo.processInfo.environment["DOCKADVISE_RECORD"] != nil {
      try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
      try output.write(to: golden, atomically: true, encoding: .utf8)
    }
    let expected = (try? String(contentsOf: golden, encoding: .utf8)) ?? ""
    #expect(output == expected, "realworld findings changed; rerun with DOCKADVISE_RECORD=1 and review the diff")
  }

  @Test func officialImagesLintWithoutShellSyntaxErrors() {
    let files = Self.dockerfiles(in: "official")
    guard !files.isEmpty else {
      print("skipped: the shared corpus is not at \(Self.corpus.path)")
      return
    }
    for (relative, context) in files {
      let findings = Self.lint(relative, context: context)
      #expect(!findings.contains { $0.ruleID == "DA001" || $0.ruleID == "DA002" }, "\(relative): \(Self.render(findings))")
    }
  }
}
