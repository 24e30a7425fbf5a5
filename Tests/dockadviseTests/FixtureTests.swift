import Foundation
import Testing

@testable import dockadvise

/// Every folder under `Fixtures/` with an `expected.txt`: runs the CLI in-process in that folder (its
/// `args` file, or `lint Dockerfile`) and compares standard output with `expected.txt`.
/// `DOCKADVISE_RECORD=1 swift test --filter FixtureTests` rewrites the expected files.
@Suite struct FixtureTests {
  /// Case folders, relative to `Fixtures/`, found recursively (`reporters/` has its own test).
  static let cases: [String] = {
    var found: [String] = []
    func visit(_ relative: String) {
      let directory = relative.isEmpty ? Golden.fixtures : Golden.fixtures + "/" + relative
      if FileManager.default.fileExists(atPath: directory + "/expected.txt") { found.append(relative) }
      for name in Golden.subdirectories(directory) where !(relative.isEmpty && name == "reporters") {
        visit(relative.isEmpty ? name : relative + "/" + name)
      }
    }
    visit("")
    return found
  }()

  @Test func thereAreCases() {
    #expect(Self.cases.count >= 8, "\(Self.cases)")
  }

  @Test(arguments: cases) func lintOutputMatches(_ name: String) {
    let directory = Golden.fixtures + "/" + name
    let arguments = Golden.arguments(in: directory) ?? ["lint", "Dockerfile"]
    let run = Golden.run(arguments, in: directory)
    #expect(run.status != .failure, "exit 2: \(run.stderr)")
    #expect(run.stderr.isEmpty, "\(run.stderr)")
    Golden.check(run.stdout, against: directory + "/expected.txt")
    // The exit status follows from the findings: 1 exactly when one reaches the threshold.
    if run.stdout.hasSuffix(": no findings\n") { #expect(run.status == .success) }
  }
}
