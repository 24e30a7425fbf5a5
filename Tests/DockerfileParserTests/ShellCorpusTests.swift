import Foundation
import Testing

@testable import DockerfileParser

/// Every shell script in `../shared/corpus` parses the way `bash -n` says it should.
@Suite struct ShellCorpusTests {
  struct Script {
    let path: String
    let relativePath: String
    let file: SourceFile
    let script: ShellScript
  }

  /// Scripts under `official/` and `realworld/`: files ending in `.sh` and files starting with `#!`
  /// (`run`, `finish`, `*.runit`…). Nil when the corpus folder is absent.
  static func corpusScripts() -> [Script]? {
    let root = ShellTestSupport.corpusRoot
    guard FileManager.default.fileExists(atPath: root.path) else { return nil }
    var scripts: [Script] = []
    for folder in ["official", "realworld"] {
      let base = root.appendingPathComponent(folder)
      guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { continue }
      for case let relative as String in enumerator {
        let url = base.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
          let bytes = ShellTestSupport.readFile(url)
        else { continue }
        let hasShebang = bytes.starts(with: [UInt8(ascii: "#"), UInt8(ascii: "!")])
        guard relative.hasSuffix(".sh") || hasShebang else { continue }
        let file = SourceFile(path: url.path, bytes: bytes)
        scripts.append(
          Script(
            path: url.path, relativePath: folder + "/" + relative, file: file, script: ShellScript.parse(file: file)))
      }
    }
    return scripts.sorted { $0.relativePath < $1.relativePath }
  }

  @Test func everyScriptParsesLikeBashN() throws {
    guard let all = Self.corpusScripts() else {
      print("skipping the corpus test: \(ShellTestSupport.corpusRoot.path) is absent")
      return
    }
    let shell = all.filter(\.script.isShell)
    let skipped = all.filter { !$0.script.isShell }
    #expect(shell.count >= 300)
    var verdicts: [String: Bool] = [:]
    if ShellTestSupport.isInstalled("bash") {
      verdicts = ShellTestSupport.syntaxCheck("bash", shell.map(\.path))
    } else {
      print("bash is not installed: checking that every script parses without a diagnostic")
    }
    var rejectedByBash = 0
    var rejectedByParser = 0
    var disagreements: [String] = []
    for entry in shell {
      let bashAccepts = verdicts[entry.path] ?? true
      if !bashAccepts { rejectedByBash += 1 }
      if entry.script.hasErrors { rejectedByParser += 1 }
      if bashAccepts {
        if !entry.script.diagnostics.isEmpty {
          let first = entry.script.diagnostics[0]
          disagreements.append("\(entry.relativePath):\(first.location(in: entry.file)): \(first.message)")
        }
      } else if !entry.script.hasErrors {
        disagreements.append("\(entry.relativePath): bash -n rejects it, the parser does not")
      }
    }
    let bashCount = shell.filter { $0.script.dialect == .bash }.count
    print(
      "shell corpus: \(shell.count) scripts parsed (\(bashCount) bash, \(shell.count - bashCount) sh), "
        + "\(skipped.count) skipped (\(skipped.map { "\($0.script.shebang?.interpreter ?? "?")" }.joined(separator: ", "))), "
        + "\(rejectedByBash) rejected by bash -n, \(rejectedByParser) by the parser, \(disagreements.count) disagreements"
    )
    #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
  }

  @Test func posixScriptsAgreeWithDash() throws {
    guard let all = Self.corpusScripts(), ShellTestSupport.isInstalled("dash") else {
      print("skipping the dash comparison: corpus or dash absent")
      return
    }
    let posix = all.filter { $0.script.dialect == .posix && !$0.script.hasErrors }
    let verdicts = ShellTestSupport.syntaxCheck("dash", posix.map(\.path))
    var disagreements: [String] = []
    for entry in posix {
      let dashAccepts = verdicts[entry.path] ?? true
      let predicted = entry.script.dashSyntaxErrors.isEmpty
      if dashAccepts != predicted {
        disagreements.append(
          "\(entry.relativePath): dash -n \(dashAccepts ? "accepts" : "rejects"), bashisms \(entry.script.dashSyntaxErrors.map(\.kind))"
        )
      }
    }
    print(
      "dash: \(posix.count) sh scripts, \(verdicts.values.filter { !$0 }.count) rejected by dash -n, \(disagreements.count) disagreements"
    )
    #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
  }

  /// A one-line-per-fact summary of what the queries find in every corpus script, compared with
  /// `Fixtures/shell/golden/corpus-summary.txt` (`DOCKADVISE_RECORD=1` rewrites it for review in git).
  @Test func corpusSummaryMatchesGolden() throws {
    guard let all = Self.corpusScripts() else {
      print("skipping the corpus summary: corpus absent")
      return
    }
    var lines: [String] = []
    for entry in all where entry.script.isShell {
      lines += Self.summary(entry.script, file: entry.file, name: entry.relativePath)
    }
    let actual = lines.joined(separator: "\n") + "\n"
    let goldenURL = ShellTestSupport.fixturesRoot.appendingPathComponent("golden/corpus-summary.txt")
    if ProcessInfo.processInfo.environment["DOCKADVISE_RECORD"] == "1" {
      try FileManager.default.createDirectory(
        at: goldenURL.deletingLastPathComponent(), withIntermediateDirectories: true)
      try actual.write(to: goldenURL, atomically: true, encoding: .utf8)
      return
    }
    let expected = try #require(ShellTestSupport.readFile(goldenURL).map { String(decoding: $0, as: UTF8.self) })
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var differences: [String] = []
    for index in 0..<max(expectedLines.count, actualLines.count) {
      let want = index < expectedLines.count ? String(expectedLines[index]) : "<none>"
      let got = index < actualLines.count ? String(actualLines[index]) : "<none>"
      if want != got { differences.append("line \(index + 1):\n  expected: \(want)\n  actual:   \(got)") }
      if differences.count >= 10 { break }
    }
    #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
  }

  static func summary(_ script: ShellScript, file: SourceFile, name: String) -> [String] {
    func at(_ range: SourceRange) -> String { "\(file.location(of: range.start).line)" }
    func text(_ range: SourceRange) -> String {
      let raw = file.text(of: range)
      let firstLine = raw.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
      return firstLine.count > 70 ? String(firstLine.prefix(70)) + "…" : firstLine
    }
    var lines = ["== \(name) [\(script.dialect.rawValue)\(script.shebang.map { " " + $0.interpreter } ?? "")]"]
    for command in script.terminalCommands {
      var flags: [String] = []
      if command.isExec { flags.append("exec") }
      if command.isBackground { flags.append("bg") }
      if command.runsArguments { flags.append("args") }
      lines.append(
        "  terminal \(at(command.range)): \(text(command.range)) → \(command.program ?? "?")\(flags.isEmpty ? "" : " [" + flags.joined(separator: ",") + "]")"
      )
    }
    for job in script.backgroundJobs {
      let programs = script.commands(of: job).compactMap(\.program).prefix(4).joined(separator: ",")
      lines.append(
        "  background \(at(job.range)) \(job.kind.rawValue)\(job.isInMainPath ? " main" : ""): \(text(job.range)) → \(programs)"
      )
    }
    for wait in script.waits {
      lines.append(
        "  wait \(at(wait.invocation.range))\(wait.waitsForAny ? " -n" : "")\(wait.waitsForAll ? " all" : ""): \(wait.operands.count) operands"
      )
    }
    for trap in script.traps {
      lines.append("  trap \(at(trap.invocation.range)): \(trap.signals.map(\.name).joined(separator: ","))")
    }
    for loop in script.infiniteLoops {
      let body = script.bodyCommands(of: loop).compactMap(\.program).prefix(4).joined(separator: ",")
      lines.append("  infinite \(loop.kind.rawValue) \(at(loop.range))\(loop.canExit ? " exits" : ""): \(body)")
    }
    if !script.commandsRunningScriptArguments.isEmpty { lines.append("  runs \"$@\"") }
    let kinds = Set(script.bashisms.map(\.kind.rawValue)).sorted()
    if !kinds.isEmpty { lines.append("  bashisms: \(kinds.joined(separator: " · "))") }
    return lines
  }
}
