import DockerfileParser
import Foundation
import MultiProcAdvisor
import Testing

@testable import dockadvise

/// Golden reports: every folder in `Fixtures/reporters/` is linted in every format, and the output
/// compared with `expected.<format>` (`expected.status` holds the exit status). SARIF is also
/// validated against the 2.1.0 schema and checked structurally; the escapes of the GitHub and XML
/// formats have their own tests.
@Suite struct ReporterTests {
  static let root = Golden.fixtures + "/reporters"
  static let cases = Golden.subdirectories(root)

  /// One case in one format.
  static func run(_ name: String, _ format: ReportFormat, environment: [String: String] = [:]) -> Golden.Run {
    let directory = root + "/" + name
    let operands = Golden.arguments(in: directory) ?? ["Dockerfile"]
    var run = Golden.run(["lint", "--format", format.rawValue] + operands, in: directory, environment: environment)
    // The SARIF base URI is the absolute working directory: make it machine-independent.
    run.stdout = run.stdout.replacing(Paths.uri(directory + "/"), with: "file:///FIXTURE/")
    return run
  }

  @Test func thereAreCases() {
    #expect(Set(Self.cases).isSuperset(of: ["basic", "clean", "services", "unicode-crlf", "unreadable"]))
  }

  @Test(arguments: cases) func everyFormatMatchesItsGolden(_ name: String) {
    let directory = Self.root + "/" + name
    var statuses: Set<Int32> = []
    for format in ReportFormat.allCases {
      let run = Self.run(name, format)
      statuses.insert(run.status.rawValue)
      Golden.check(run.stdout, against: directory + "/expected.\(format.rawValue)")
    }
    #expect(statuses.count == 1, "the exit status must not depend on the format: \(statuses)")
    Golden.check("\(statuses.first ?? -1)\n", against: directory + "/expected.status")
  }

  // MARK: SARIF

  @Test(arguments: cases) func sarifIsValidAgainstTheSchema(_ name: String) throws {
    let run = Self.run(name, .sarif)
    let schema = "/work/shared/schemas/sarif-schema-2.1.0.json"
    let candidates = [schema, Golden.repositoryRoot + "/../shared/schemas/sarif-schema-2.1.0.json"]
    guard let schemaPath = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      print("ReporterTests: SARIF schema not found (\(candidates)); schema validation skipped")
      return
    }
    let instance = NSTemporaryDirectory() + "dockadvise-\(name)-\(UUID().uuidString.prefix(8)).sarif"
    try run.stdout.write(toFile: instance, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: instance) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-W", "ignore", "-m", "jsonschema", "-i", instance, schemaPath]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = errors
    try process.run()
    process.waitUntilExit()
    let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    if output.contains("No module named jsonschema") || output.contains("No such file") {
      print("ReporterTests: python3 -m jsonschema is not available; schema validation skipped")
      return
    }
    #expect(process.terminationStatus == 0, "SARIF of \(name) is not valid:\n\(output)")
  }

  @Test(arguments: cases) func sarifStructure(_ name: String) throws {
    let run = Self.run(name, .sarif)
    let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(log["version"] as? String == "2.1.0")
    #expect((log["$schema"] as? String)?.contains("sarif") == true)
    let runs = try #require(log["runs"] as? [[String: Any]])
    #expect(runs.count == 1)
    let sarifRun = runs[0]
    #expect(sarifRun["columnKind"] as? String == "unicodeCodePoints")
    let bases = try #require(sarifRun["originalUriBaseIds"] as? [String: Any])
    #expect(bases["%SRCROOT%"] != nil)
    let driver = try #require((sarifRun["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "dockadvise")
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(rules.map { $0["id"] as? String } == RuleRegistry.descriptions.map(\.id))
    for rule in rules {
      #expect((rule["shortDescription"] as? [String: Any])?["text"] is String)
      #expect((rule["fullDescription"] as? [String: Any])?["text"] is String)
      #expect((rule["help"] as? [String: Any])?["text"] is String)
      #expect((rule["help"] as? [String: Any])?["markdown"] is String)
      #expect((rule["helpUri"] as? String)?.hasSuffix("docs/rules/\(rule["id"] as! String).md") == true)
      #expect(["error", "warning", "note"].contains((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String ?? ""))
    }
    let results = try #require(sarifRun["results"] as? [[String: Any]])
    let directory = Self.root + "/" + name
    for result in results {
      let ruleID = try #require(result["ruleId"] as? String)
      let index = try #require(result["ruleIndex"] as? Int)
      #expect(rules[index]["id"] as? String == ruleID)
      let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
      let artifact = try #require(location["artifactLocation"] as? [String: Any])
      #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
      #expect((artifact["uri"] as? String)?.hasPrefix("/") == false)
      let region = try #require(location["region"] as? [String: Any])
      #expect((region["startLine"] as? Int ?? 0) >= 1)
      #expect((region["startColumn"] as? Int ?? 0) >= 1)
      #expect((region["endLine"] as? Int ?? 0) >= (region["startLine"] as? Int ?? 0))
      for fix in result["fixes"] as? [[String: Any]] ?? [] {
        let changes = try #require(fix["artifactChanges"] as? [[String: Any]])
        #expect(!changes.isEmpty)
        for change in changes {
          let uri = try #require((change["artifactLocation"] as? [String: Any])?["uri"] as? String)
          for replacement in try #require(change["replacements"] as? [[String: Any]]) {
            let deleted = try #require(replacement["deletedRegion"] as? [String: Any])
            // The line/column region and the byte region name the same bytes (§3.30.1).
            guard deleted["startLine"] != nil, let offset = deleted["byteOffset"] as? Int, let bytes = FileManager.default.contents(atPath: directory + "/" + uri) else { continue }
            let file = SourceFile(path: uri, bytes: Array(bytes))
            let start = ReportLocation.position(file, offset)
            let end = ReportLocation.position(file, offset + (deleted["byteLength"] as? Int ?? 0))
            #expect(deleted["startLine"] as? Int == start.line)
            #expect(deleted["startColumn"] as? Int == start.column)
            #expect(deleted["endLine"] as? Int == end.line)
            #expect(deleted["endColumn"] as? Int == end.column)
          }
        }
      }
    }
  }

  @Test func sarifPathsAreRelativeToTheGitHubWorkspace() throws {
    let run = Self.run("basic", .sarif, environment: ["GITHUB_WORKSPACE": Golden.repositoryRoot])
    #expect(run.stdout.contains("\"uri\": \"Fixtures/reporters/basic/entrypoint.sh\""))
    #expect(run.stdout.contains(Paths.uri(Golden.repositoryRoot + "/")))
  }

  @Test func unicodeColumnsCountCodePointsAndSkipTheByteOrderMark() throws {
    let run = Self.run("unicode-crlf", .json)
    let log = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let finding = try #require((log["findings"] as? [[String: Any]])?.first)
    let edit = try #require(((finding["fix"] as? [String: Any])?["edits"] as? [[String: Any]])?.first)
    // `CMD echo "démarrage ✓ 🚀" && nginx`: nginx starts at code point 29, byte 35 of line 4.
    #expect(edit["column"] as? Int == 29)
    let bytes = Array(FileManager.default.contents(atPath: Self.root + "/unicode-crlf/Dockerfile")!)
    let offset = try #require(edit["offset"] as? Int)
    #expect(Array(bytes[offset..<offset + 5]) == Array("nginx".utf8))
  }

  // MARK: GitHub and XML escapes

  @Test func githubEscapesPropertiesAndData() {
    #expect(GitHubReporter.escapeData("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b")
    #expect(GitHubReporter.escapeProperty("dir:a,b/100%.sh") == "dir%3Aa%2Cb/100%25.sh")
    let line = GitHubReporter.line("warning", [("file", "a,b:c"), ("title", "DA101 x")], "m: 50%\nn")
    #expect(line == "::warning file=a%2Cb%3Ac,title=DA101 x::m: 50%25%0An\n")
  }

  @Test func githubPathsAreRelativeToTheWorkspace() {
    let run = Self.run("basic", .github, environment: ["GITHUB_WORKSPACE": Golden.repositoryRoot])
    #expect(run.stdout.contains("file=Fixtures/reporters/basic/entrypoint.sh,line=4,col=1"))
  }

  @Test func xmlEscapesEntitiesControlCharactersAndLineBreaks() {
    #expect(XML.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;")
    #expect(XML.escape("a\nb\tc\u{1}d") == "a&#10;b&#9;c\u{FFFD}d")
  }

  @Test func codeClimateFingerprintsAreStableAndUnique() throws {
    let first = Self.run("services", .codeclimate)
    let second = Self.run("services", .codeclimate)
    #expect(first.stdout == second.stdout)
    let issues = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [[String: Any]])
    let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
    #expect(fingerprints.count == issues.count)
    #expect(Set(fingerprints).count == fingerprints.count)
  }

  @Test func fingerprintsDoNotDependOnLineNumbers() {
    let finding = ReportedFinding(
      code: "DA101", rule: "shell-form-pid1", severity: .warning, message: "m",
      location: ReportLocation(path: "Dockerfile", line: 3, column: 1, endLine: 3, endColumn: 4, offset: 40, length: 3), notes: [],
      fix: nil, frame: [], fails: true, anchorText: "CMD nginx")
    var moved = finding
    moved.location.line = 9
    #expect(Fingerprint.of(finding, path: "Dockerfile") == Fingerprint.of(moved, path: "Dockerfile"))
    #expect(Fingerprint.of(finding, path: "Dockerfile") != Fingerprint.of(finding, path: "other/Dockerfile"))
  }

  // MARK: Text

  @Test func textHasColourOnlyWhenAsked() {
    let directory = Self.root + "/basic"
    let plain = Golden.run(["lint", "Dockerfile"], in: directory)
    #expect(!plain.stdout.contains("\u{1B}["))
    let forced = Golden.run(["lint", "--color", "always", "Dockerfile"], in: directory)
    #expect(forced.stdout.contains("\u{1B}[1;33mwarning\u{1B}[0m"))
    let noColor = Golden.run(["lint", "--color", "always", "--no-color", "Dockerfile"], in: directory)
    #expect(!noColor.stdout.contains("\u{1B}["))
    #expect(!Terminal.colorEnabled(mode: nil, noColorFlag: false, environment: ["NO_COLOR": "1"], isTerminal: true))
    #expect(Terminal.colorEnabled(mode: nil, noColorFlag: false, environment: ["NO_COLOR": ""], isTerminal: true))
    #expect(!Terminal.colorEnabled(mode: nil, noColorFlag: false, environment: [:], isTerminal: false))
    #expect(Terminal.colorEnabled(mode: nil, noColorFlag: false, environment: [:], isTerminal: true))
    #expect(!Terminal.colorEnabled(mode: nil, noColorFlag: true, environment: [:], isTerminal: true))
  }

  @Test func frameUnderlinesMirrorTabsAndCutLongLines() {
    let (text, underline) = TextReporter.frameText(FrameLine(number: 1, text: "\tCMD x", marked: 2..<5))
    #expect(text == "\tCMD x")
    #expect(underline == "\t^^^")
    let long = String(repeating: "a", count: 300)
    let (cut, _) = TextReporter.frameText(FrameLine(number: 1, text: long, marked: 1..<2))
    #expect(cut.hasSuffix("…"))
    #expect(cut.unicodeScalars.count == TextReporter.maximumLineWidth + 1)
    let (escaped, _) = TextReporter.frameText(FrameLine(number: 1, text: "a\u{1B}[2Jb", marked: 1..<2))
    #expect(!escaped.contains("\u{1B}"))
  }

  @Test func summaryLine() {
    var summary = ReportSummary()
    #expect(TextReporter.summaryLine(summary) == "Linted 0 files: no findings")
    summary.files = 2
    summary.bySeverity = [.error: 1, .warning: 2, .info: 1]
    summary.fixable = 2
    summary.unsafeFixable = 1
    #expect(
      TextReporter.summaryLine(summary)
        == "Linted 2 files: 4 findings (1 error, 2 warnings, 1 info); 2 fixable with 'dockadvise fix', 1 with 'dockadvise fix --unsafe'")
  }
}
