import Foundation
import Testing
@testable import dockadvise

/// `dockadvise parse --format json` agrees with the BuildKit oracle (`oracle.json`, `*.oracle.json`,
/// made by `../shared/tools/dockerfile-oracle.py` with BuildKit v0.12.5) on every corpus Dockerfile:
/// instruction kind, ONBUILD trigger, flags, JSON form, value, start and end line, heredocs.
///
/// Deliberate differences, where the old oracle is wrong and current BuildKit is followed:
/// - ENV and LABEL: current BuildKit adds a third value per pair (`=`, or `""` for the legacy form);
///   the oracle has pairs only. The comparison drops every third ENV/LABEL value.
/// - `<< EOF` (a blank after `<<`) is a heredoc since 2025; v0.12.5 reads the `EOF` lines as
///   instructions (`buildkit-parser/snippets/parser_heredoc_test/TestParseExtractsHeredoc-01`).
/// - The oracle cuts strings at a NUL character; BuildKit keeps it (`buildkit-parser/testfiles/json`,
///   whose `result` file, from current BuildKit, has `\x00`).
@Suite(.enabled(if: CorpusLocation.available, "the shared corpus (../shared/corpus from the package root) is absent"))
struct OracleConformanceTests {
  /// Every Dockerfile with an oracle file beside it: (Dockerfile, oracle), relative to the corpus.
  static let pairs: [String] = {
    guard CorpusLocation.available else { return [] }
    let base = CorpusLocation.url
    var result: [String] = []
    guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
    for case let url as URL in enumerator {
      let relative = String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))
      if url.lastPathComponent == "oracle.json" {
        result.append(relative)
      } else if url.lastPathComponent.hasSuffix(".oracle.json") {
        result.append(relative)
      }
    }
    return result.sorted()
  }()

  static func dockerfile(for oracle: String) -> String {
    oracle.hasSuffix("/oracle.json")
      ? String(oracle.dropLast("oracle.json".count)) + "Dockerfile" : String(oracle.dropLast(".oracle.json".count))
  }

  static let knownDifferences: Set<String> = [
    "buildkit-parser/snippets/parser_heredoc_test/TestParseExtractsHeredoc-01/Dockerfile",
    "buildkit-parser/testfiles/json/Dockerfile",
  ]

  @Test func everyOfficialAndRealWorldDockerfileIsCompared() throws {
    let compared = Set(Self.pairs.map(Self.dockerfile(for:)))
    var found = 0
    for directory in ["official", "realworld"] {
      let base = CorpusLocation.url.appendingPathComponent(directory)
      let enumerator = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]))
      for case let url as URL in enumerator {
        let name = url.lastPathComponent
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
          name.lowercased().contains("dockerfile"), !name.hasSuffix(".json"), !name.hasSuffix(".md")
        else { continue }
        found += 1
        let relative = String(url.standardizedFileURL.path.dropFirst(CorpusLocation.url.path.count + 1))
        #expect(compared.contains(relative), "\(relative) has no oracle file")
      }
    }
    #expect(found > 150)
  }

  @Test(arguments: pairs)
  func agreesWithTheOracle(_ oracle: String) throws {
    let path = Self.dockerfile(for: oracle)
    let expected = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: CorpusLocation.url.appendingPathComponent(oracle))) as? [String: Any])
    let io = CommandIO.buffered(currentDirectory: CorpusLocation.url.path)
    let status = CLI.run(arguments: ["parse", "--format", "json", path], environment: [:], io: io)
    guard expected["ok"] as? Bool == true else {
      #expect(status == .failure, "BuildKit rejects \(path)")
      #expect(io.stdout.bytes.isEmpty)
      #expect(io.stderr.text.contains(": error: "))
      return
    }
    let actual = try #require(try JSONSerialization.jsonObject(with: Data(io.stdout.bytes)) as? [String: Any])
    let got = try #require(actual["instructions"] as? [[String: Any]])
    let want = try #require(expected["instructions"] as? [[String: Any]])
    let comparison = Self.compare(got, want)
    if Self.knownDifferences.contains(path) {
      #expect(comparison != nil, "\(path) is listed as a known difference but now agrees")
    } else {
      #expect(comparison == nil, "\(path): \(comparison ?? "")")
    }
  }

  /// The first difference, or nil.
  static func compare(_ got: [[String: Any]], _ want: [[String: Any]]) -> String? {
    if got.count != want.count { return "\(got.count) instructions, oracle has \(want.count)" }
    for (a, b) in zip(got, want) {
      let line = b["start_line"] as? Int ?? 0
      let cmd = a["cmd"] as? String ?? ""
      let sub = a["sub_cmd"] as? String
      var value = a["value"] as? [String] ?? []
      if ["env", "label"].contains(sub ?? cmd) {
        value = value.enumerated().filter { $0.offset % 3 != 2 }.map(\.element)
      }
      func heredocs(_ item: [String: Any]) -> [String] {
        (item["heredocs"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")|\($0["fd"] ?? "")|\($0["content"] ?? "")" }
      }
      let checks: [(String, Bool)] = [
        ("cmd", cmd == b["cmd"] as? String),
        ("sub_cmd", sub == b["sub_cmd"] as? String),
        ("flags", a["flags"] as? [String] == b["flags"] as? [String]),
        ("json", a["json"] as? Bool == b["json"] as? Bool),
        ("value", value == b["value"] as? [String] ?? []),
        ("start_line", a["start_line"] as? Int == b["start_line"] as? Int),
        ("end_line", a["end_line"] as? Int == b["end_line"] as? Int),
        ("heredocs", heredocs(a) == heredocs(b)),
      ]
      if let failed = checks.first(where: { !$0.1 }) {
        return "line \(line): \(failed.0) differs: \(a[failed.0] ?? "nil") vs \(b[failed.0] ?? "nil")"
      }
    }
    return nil
  }
}

/// The shared corpus at `../shared/corpus` from the package root, found through `#filePath`.
enum CorpusLocation {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let url = packageRoot.appendingPathComponent("../shared/corpus").standardizedFileURL
  static let available: Bool = {
    var isDirectory: ObjCBool = false
    let present = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    if !present { print("note: oracle conformance tests skipped: \(url.path) is absent") }
    return present
  }()
}
