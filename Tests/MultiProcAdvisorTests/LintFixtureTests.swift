import DockerfileParser
import Foundation
import Testing
@testable import MultiProcAdvisor

/// Golden lint cases: every folder of `Fixtures/lint/` holds a Dockerfile with its build context and
/// `expected.findings`, one line per finding (`file:line:column: severity: CODE name: message`).
/// `DOCKADVISE_RECORD=1` rewrites the expected files for review.
@Suite struct LintFixtureTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/lint")

  static var cases: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
  }

  static func render(_ finding: Finding) -> String {
    "\(finding.location.file.path):\(finding.location.start.line):\(finding.location.start.column): \(finding.severity.rawValue): \(finding.ruleID) \(finding.ruleName): \(finding.message)"
  }

  @Test(arguments: cases)
  func findingsMatch(name: String) throws {
    let folder = Self.root.appendingPathComponent(name)
    let dockerfile = try Data(contentsOf: folder.appendingPathComponent("Dockerfile"))
    let request = Linter.Request(
      dockerfile: SourceFile(path: "Dockerfile", bytes: Array(dockerfile)), context: DiskBuildContext(root: folder.path, displayRoot: "."))
    let result = Linter.lint(request)
    let output = result.findings.map(Self.render).joined(separator: "\n") + (result.findings.isEmpty ? "" : "\n")
    let expectedFile = folder.appendingPathComponent("expected.findings")
    if ProcessInfo.processInfo.environment["DOCKADVISE_RECORD"] != nil { try output.write(to: expectedFile, atomically: true, encoding: .utf8) }
    let expected = (try? String(contentsOf: expectedFile, encoding: .utf8)) ?? "<missing expected.findings>"
    #expect(output == expected, "\(name): findings differ")
    // The Dockerfile round-trips through the parser, whatever the findings.
    #expect(result.dockerfile.printed() == Array(dockerfile))
  }
}
