import Foundation
import Testing

@testable import dockadvise

/// The files dockadvise ships with (.pre-commit-hooks.yaml, action.yml, the release workflow) agree with
/// the code and with each other: one version, one file pattern, documented inputs, steps that are scripts.
@Suite struct ReleaseFilesTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static func text(_ path: String) throws -> String { try String(contentsOfFile: root + "/" + path, encoding: .utf8) }

  /// The `- id:` entries of .pre-commit-hooks.yaml, each as its `key: value` lines.
  static func hooks() throws -> [String: [String: String]] {
    var result: [String: [String: String]] = [:]
    var current: String?
    for line in try text(".pre-commit-hooks.yaml").split(separator: "\n").map(String.init) where !line.hasPrefix("#") {
      if line.hasPrefix("- id: ") {
        current = String(line.dropFirst(6))
        result[current!] = [:]
      } else if let id = current, line.hasPrefix("  "), let colon = line.firstIndex(of: ":") {
        let key = line[..<colon].trimmingCharacters(in: .whitespaces)
        result[id]![key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return result
  }

  @Test func everyHookVariantLintsTheSameFiles() throws {
    let hooks = try Self.hooks()
    #expect(Set(hooks.keys) == ["dockadvise", "dockadvise-fix", "dockadvise-docker", "dockadvise-system"])
    #expect(hooks["dockadvise"]?["language"] == "swift")
    #expect(hooks["dockadvise-system"]?["language"] == "system")
    #expect(hooks["dockadvise-system"]?["entry"] == "dockadvise lint")
    #expect(hooks["dockadvise-docker"]?["language"] == "docker_image")
    // The image of this very version, whose ENTRYPOINT is dockadvise: the entry's words after it are the command.
    #expect(hooks["dockadvise-docker"]?["entry"] == "ghcr.io/dockadvise/dockadvise:v\(CLI.version) lint")
    let patterns = Set(hooks.values.map { [$0["files"] ?? "", $0["exclude"] ?? "", $0["types"] ?? ""] })
    #expect(patterns.count == 1, "the hooks match different files: \(patterns)")
  }

  @Test func theActionsInputsAreDocumentedAndItsVersionIsThisOne() throws {
    let action = try Self.text("action.yml")
    let docs = try Self.text("docs/github-action.md")
    var inputs: [String] = []
    var inInputs = false
    for line in action.split(separator: "\n").map(String.init) {
      if !line.hasPrefix(" ") { inInputs = line == "inputs:" }
      if inInputs, line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") { inputs.append(String(line.dropFirst(2).dropLast())) }
    }
    #expect(inputs.contains("paths") && inputs.contains("format") && inputs.contains("fail-on") && inputs.contains("config"))
    for input in inputs { #expect(docs.contains("| `\(input)` |"), "docs/github-action.md does not document the input \(input)") }
    #expect(action.contains("  version:\n    description: 'The release to download with install release (without the v).'\n    required: false\n    default: \(CLI.version)\n"))
    // Every step the action runs is one of the scripts beside it.
    for script in ["Scripts/action-install.sh", "Scripts/action-lint.sh"] {
      #expect(action.contains("$GITHUB_ACTION_PATH/\(script)"))
      #expect(FileManager.default.isExecutableFile(atPath: Self.root + "/" + script))
    }
  }

  @Test func everyReleaseStepIsAScriptInScripts() throws {
    let workflow = try Self.text(".github/workflows/release.yml")
    var runs: [String] = []
    let lines = workflow.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for (index, line) in lines.enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard trimmed.hasPrefix("run:") else { continue }
      var command = trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces)
      if command == ">" || command == "|" { command = lines[index + 1].trimmingCharacters(in: .whitespaces) }
      runs.append(command)
    }
    #expect(runs.count >= 6)
    for command in runs {
      let script = String(command.prefix { $0 != " " })
      #expect(script.hasPrefix("Scripts/"), "a release step is not a script: \(command)")
      #expect(FileManager.default.isExecutableFile(atPath: Self.root + "/" + script), "\(script) is missing or not executable")
    }
    for script in ["release-check-version.sh", "release-setup-linux.sh", "release-build.sh", "release-checksums.sh", "release-publish.sh", "build-image.sh"] {
      #expect(runs.contains { $0.hasPrefix("Scripts/" + script) }, "the workflow does not run \(script)")
    }
  }
}
