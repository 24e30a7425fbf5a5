import DockerfileParser
import Foundation
import Testing

@testable import MultiProcAdvisor

/// `fix --unsafe` over every Dockerfile of `../shared/corpus` and of `Fixtures/` (with its folder as the
/// build context), under every strategy: the output parses (with our parser, and with BuildKit's through
/// `../shared/tools/dockerfile-oracle.py` when it is installed), fixing again changes nothing, every line
/// of the original that is not part of an instruction a fix is meant to rewrite (ENTRYPOINT/CMD, the body
/// of a heredoc script) is still there, byte for byte and in order, and the verification gate
/// (`FixVerification`) holds — or fails exactly as `Fixtures/corpus/fix-gate.expected.txt` records, which
/// `DOCKADVISE_RECORD=1` rewrites for review. The corpus part is skipped, with the reason printed, when
/// the corpus is absent.
@Suite struct CorpusFixTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
  static let oracle = repository.deletingLastPathComponent().appendingPathComponent("shared/tools/dockerfile-oracle.py").path
  static let fixtures = repository.appendingPathComponent("Fixtures").path
  static let gateGolden = repository.appendingPathComponent("Fixtures/corpus/fix-gate.expected.txt")
  /// The error-level findings `fix --unsafe` leaves, per strategy: what the fixes cannot do yet.
  static let errorsLeftGolden = repository.appendingPathComponent("Fixtures/corpus/fix-errors-left.expected.txt")

  /// Every file named Dockerfile, Containerfile, `*.Dockerfile` or `Dockerfile.*` (not the oracle's JSON)
  /// under `root`, relative to it.
  static func dockerfiles(under root: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
    var result: [String] = []
    while let path = enumerator.nextObject() as? String {
      let name = (path as NSString).lastPathComponent
      guard !name.hasSuffix(".json"), !name.hasSuffix(".md") else { continue }
      if name == "Dockerfile" || name == "Containerfile" || name.hasPrefix("Dockerfile.") || name.hasSuffix(".Dockerfile") || name.hasSuffix(".dockerfile") {
        result.append(path)
      }
    }
    return result.sorted()
  }

  static var dockerfiles: [String] { dockerfiles(under: corpus) }

  /// The Dockerfiles of `Fixtures/` that are inputs (not a fix case's expected output, not a case meant
  /// not to parse), as paths under `Fixtures/`.
  static var fixtureDockerfiles: [String] {
    dockerfiles(under: fixtures).filter { !$0.contains("/expected/") && !$0.hasPrefix("parser-negative/") && !$0.hasPrefix("fuzz-regressions/") }
  }

  /// Every Dockerfile the test fixes: `corpus/…` and `Fixtures/…`, as full paths by display name.
  static var allDockerfiles: [(name: String, full: String)] {
    dockerfiles.map { ("corpus/" + $0, corpus + "/" + $0) } + fixtureDockerfiles.map { ("Fixtures/" + $0, fixtures + "/" + $0) }
  }

  /// The kinds of instruction a fix may rewrite in place: the command it runs (exec form, `exec`, the
  /// strategy's ENTRYPOINT). Everything else is only ever inserted around, and scripts written by
  /// heredocs are edited like files.
  static let rewritable: Set<String> = ["cmd", "entrypoint"]

  /// A RUN whose text writes a file through a redirection of `echo` or `printf`.
  static func writesFile(_ instruction: Instruction, in source: SourceFile) -> Bool {
    let text = String(decoding: source.bytes[instruction.range.start..<instruction.range.end], as: UTF8.self)
    return (text.contains("printf") || text.contains("echo")) && text.contains(">")
  }

  struct Fixed {
    var path: String
    var original: [UInt8]
    var outcome: Fixer.Outcome
    var context: OverlayBuildContext
  }

  static func fix(_ path: String, strategy: Strategy = .swiftInit) -> Fixed {
    fix(path, full: corpus + "/" + path, strategy: strategy).fixed
  }

  static func fix(_ path: String, full: String, strategy: Strategy) -> (fixed: Fixed, gate: [FixVerification.Problem]) {
    let bytes = Array(FileManager.default.contents(atPath: full) ?? Data())
    let directory = (full as NSString).deletingLastPathComponent
    let request = Linter.Request(dockerfile: SourceFile(path: "Dockerfile", bytes: bytes), context: DiskBuildContext(root: directory, displayRoot: "."), strategy: strategy)
    let options = Fixer.Options(includeUnsafe: true, strategy: strategy)
    let outcome = Fixer.fix(request, options: options)
    let overlay = OverlayBuildContext(base: DiskBuildContext(root: directory, displayRoot: "."))
    for (file, contents) in outcome.files where file != "Dockerfile" {
      overlay.write(displayPath: file, bytes: contents, executable: outcome.executable.contains(file) ? true : nil)
    }
    let gate = outcome.files.isEmpty ? [] : FixVerification.check(request, options: options, outcome: outcome)
    return (Fixed(path: path, original: bytes, outcome: outcome, context: overlay), gate)
  }

  /// Lines with their terminators.
  static func lines(_ bytes: [UInt8]) -> [[UInt8]] { UnifiedDiff.lines(bytes) }

  /// The original lines missing from the fixed file (a longest common subsequence keeps the rest).
  static func removedLines(_ old: [[UInt8]], _ new: [[UInt8]]) -> [Int] {
    UnifiedDiff.script(old, new).compactMap { if case .delete(let index) = $0 { return index } else { return nil } }
  }

  /// What the gate said, one line per problem: `strategy path: problem`.
  static func gateLines(_ strategy: Strategy, _ path: String, _ problems: [FixVerification.Problem]) -> [String] {
    problems.map { "\(strategy.rawValue) \(path): \($0)" }
  }

  /// The error-level findings left after the fixes, one line each: `strategy path: DAnnn file:line message`
  /// (DA001 aside: a Dockerfile BuildKit rejects is not fixed at all).
  static func errorLines(_ strategy: Strategy, _ path: String, _ outcome: Fixer.Outcome) -> [String] {
    outcome.remaining.filter { $0.severity == .error && $0.ruleID != "DA001" }.map {
      "\(strategy.rawValue) \(path): \($0.ruleID) \($0.location.file.path):\($0.location.start.line) \($0.message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))"
    }
  }

  /// Lines of the gate's golden for `strategy`.
  static func expectedGate(_ strategy: Strategy, golden: URL = gateGolden) -> [String] {
    let text = (try? String(contentsOf: golden, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(strategy.rawValue + " ") }
  }

  static let gateResults = GateResults(golden: gateGolden)
  static let errorsLeftResults = GateResults(golden: errorsLeftGolden)

  /// The gate lines of each strategy, gathered for the golden (written once all three are in).
  final class GateResults: @unchecked Sendable {
    let golden: URL
    init(golden: URL) { self.golden = golden }
    private let lock = NSLock()
    private var lines: [Strategy: [String]] = [:]
    func record(_ strategy: Strategy, _ result: [String]) {
      lock.lock()
      lines[strategy] = result
      let all = lines
      lock.unlock()
      guard ProcessInfo.processInfo.environment["DOCKADVISE_RECORD"] != nil, all.count == Strategy.allCases.count else { return }
      let text = Strategy.allCases.flatMap { all[$0] ?? [] }.map { $0 + "\n" }.joined()
      try? text.write(to: golden, atomically: true, encoding: .utf8)
    }
  }

  @Test(arguments: Strategy.allCases)
  func fixOutputParsesSettlesAndKeepsEverythingElse(strategy: Strategy) throws {
    let files = Self.allDockerfiles
    if Self.dockerfiles.isEmpty { print("skipped the corpus: no Dockerfiles in \(Self.corpus) (the shared corpus is not present)") }
    var changedCount = 0
    var fixedFiles: [(String, [UInt8], Bool)] = []
    var gate: [String] = []
    var errorsLeft: [String] = []
    for (path, full) in files {
      let (fixed, problems) = Self.fix(path, full: full, strategy: strategy)
      gate += Self.gateLines(strategy, path, problems)
      let outcome = fixed.outcome
      errorsLeft += Self.errorLines(strategy, path, outcome)
      #expect(!outcome.hitPassLimit, "\(path): the fixes did not settle")
      let original = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: fixed.original))
      guard outcome.dockerfile != fixed.original || !outcome.files.isEmpty else { continue }
      changedCount += 1
      let result = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: outcome.dockerfile))
      if !original.hasErrors {
        #expect(!result.hasErrors, "\(path): the fixed Dockerfile does not parse: \(result.issues.map(\.message))")
      }
      fixedFiles.append((path, outcome.dockerfile, !original.hasErrors))
      // Idempotent: fixing the fixed files again changes nothing.
      let again = Fixer.fix(
        Linter.Request(dockerfile: SourceFile(path: "Dockerfile", bytes: outcome.dockerfile), context: fixed.context, strategy: strategy),
        options: Fixer.Options(includeUnsafe: true, strategy: strategy))
      #expect(again.files.isEmpty, "\(path): a second fix changes \(again.files.keys.sorted()): \(again.applied)")
      // Untouched lines: everything removed belongs to an instruction a fix rewrites.
      let oldLines = Self.lines(fixed.original)
      let removed = Self.removedLines(oldLines, Self.lines(outcome.dockerfile))
      let source = original.source
      for index in removed {
        let offset = source.lineStarts[index]
        // A heredoc body is a file (a script written by COPY/RUN <<EOF): fixes edit it like one.
        if original.instructions.contains(where: { $0.heredocs.contains { $0.bodyRange.start <= offset && offset < $0.bodyRange.end } }) { continue }
        let instruction = original.instructions.first { $0.range.start <= offset && offset < max($0.range.end, $0.range.start + 1) }
        let kind = instruction.map { $0.keyword.lowercased() }
        // A RUN that writes a file with echo/printf is that file's text: fixes edit it like one.
        if kind == "run", let instruction, Self.writesFile(instruction, in: source) { continue }
        #expect(
          kind.map(Self.rewritable.contains) == true,
          "\(path):\(index + 1): a line outside the instructions a fix rewrites changed: \(String(decoding: oldLines[index], as: UTF8.self))")
      }
      // Files the fixes edited (scripts, configurations) keep their other lines too: only insertions
      // and rewritten lines, never a line dropped from somewhere else (checked by the rules' examples).
    }
    print("corpus + Fixtures: \(files.count) Dockerfiles, \(changedCount) changed by fix --unsafe --strategy \(strategy.rawValue), \(gate.count) gate problems")
    #expect(files.count > 100)
    // The gate: every problem it finds is one the golden records (and the golden lists no problem gone).
    // Without the shared corpus (a clone on its own), its lines of the goldens are not expected.
    let corpusPresent = !Self.dockerfiles.isEmpty
    let expected = Self.expectedGate(strategy).filter { corpusPresent || !$0.contains(" corpus/") }
    for line in gate where !expected.contains(line) { Issue.record("the fix gate fails (not in fix-gate.expected.txt): \(line)") }
    for line in expected where !gate.contains(line) { Issue.record("fix-gate.expected.txt lists a problem the gate no longer finds: \(line)") }
    Self.gateResults.record(strategy, gate)
    // No error-level finding is left after `fix --unsafe`, except the ones fix-errors-left.expected.txt
    // records (what the fixes cannot do yet); a line gone from the golden is progress to record.
    let expectedErrors = Self.expectedGate(strategy, golden: Self.errorsLeftGolden).filter { corpusPresent || !$0.contains(" corpus/") }
    print("corpus + Fixtures: \(errorsLeft.count) error-level findings left by fix --unsafe --strategy \(strategy.rawValue)")
    for line in errorsLeft where !expectedErrors.contains(line) { Issue.record("fix --unsafe leaves an error-level finding (not in fix-errors-left.expected.txt): \(line)") }
    for line in expectedErrors where !errorsLeft.contains(line) { Issue.record("fix-errors-left.expected.txt lists a finding fix no longer leaves: \(line)") }
    Self.errorsLeftResults.record(strategy, errorsLeft)

    // BuildKit's parser agrees that every fixed file parses.
    let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    guard FileManager.default.fileExists(atPath: Self.oracle),
      let python = searchPath.split(separator: ":").map({ "\($0)/python3" }).first(where: FileManager.default.isExecutableFile)
    else { return print("skipped the BuildKit oracle: \(Self.oracle) or python3 is missing") }
    let directory = NSTemporaryDirectory() + "dockadvise-corpus-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var paths: [String: String] = [:]
    for (index, (path, bytes, parsed)) in fixedFiles.enumerated() where parsed {
      let file = directory + "/\(index).Dockerfile"
      try Data(bytes).write(to: URL(fileURLWithPath: file))
      paths[file] = path
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [Self.oracle] + paths.keys.sorted()
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: output, as: UTF8.self)
    if text.contains("\"error_kind\": \"bindings\"") || (process.terminationStatus == 2 && text.isEmpty) {
      return print("skipped the BuildKit oracle: the dockerfile package is not installed")
    }
    var checked = 0
    let decoder = JSONDecoder()
    struct Answer: Decodable {
      var file: String
      var ok: Bool
      var error: String?
    }
    // One JSON document per file, possibly pretty-printed: split on top-level objects.
    var depth = 0
    var start: String.Index? = nil
    var inString = false
    var escaped = false
    for index in text.indices {
      let character = text[index]
      if inString {
        if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
        continue
      }
      if character == "\"" { inString = true }
      if character == "{" {
        if depth == 0 { start = index }
        depth += 1
      } else if character == "}" {
        depth -= 1
        if depth == 0, let begin = start {
          if let answer = try? decoder.decode(Answer.self, from: Data(text[begin...index].utf8)) {
            checked += 1
            #expect(answer.ok, "BuildKit rejects the fixed \(paths[answer.file] ?? answer.file): \(answer.error ?? "")")
          }
        }
      }
    }
    #expect(checked == paths.count, "the oracle answered for \(checked) of \(paths.count) files")
    print("BuildKit oracle (\(strategy.rawValue)): \(checked) fixed Dockerfiles parse")
  }
}
