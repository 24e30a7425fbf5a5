import DockerfileParser
import Foundation
import MultiProcAdvisor
import Testing

@testable import dockadvise

/// The golden cases of `Fixtures/fix/<case>/`: `input/` is a build context (with its Dockerfile), `args`
/// the arguments of `dockadvise fix` (run from inside the context; `--write` is added when no mode is
/// given), `expected/` every file that is new or different afterwards, `expected.stderr` and
/// `expected.status` what the command printed and returned (status 0 when absent). The init sources the
/// swift-init strategy writes into `dockadvise/init/` are compared with `EmbeddedInit.files` rather
/// than stored twice. Each case is then checked again: `fix --check` finds nothing left to change.
/// `DOCKADVISE_RECORD=1 swift test --filter FixFixtureTests` rewrites the expected files for review.
@Suite struct FixFixtureTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/fix").path

  static var cases: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter {
      FileManager.default.fileExists(atPath: root + "/" + $0 + "/args")
    }.sorted()
  }

  static let recording = ProcessInfo.processInfo.environment["DOCKADVISE_RECORD"] == "1"
  static let modes: Set<String> = ["--write", "--diff", "--check"]

  /// Every regular file under `directory`, by relative path.
  static func files(in directory: String) -> [String: Data] {
    var result: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return result }
    while let path = enumerator.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
        result[path] = FileManager.default.contents(atPath: directory + "/" + path)
      }
    }
    return result
  }

  static func isExecutable(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

  @Test func thereAreCasesForEveryStrategy() {
    let names = Self.cases
    #expect(names.count >= 8)
    for strategy in Strategy.allCases { #expect(names.contains { $0.hasPrefix(strategy.rawValue + "-") }, "no case for \(strategy)") }
  }

  @Test(arguments: cases)
  func fixProducesTheExpectedFiles(name: String) throws {
    let caseDirectory = Self.root + "/" + name
    let input = caseDirectory + "/input"
    let work = NSTemporaryDirectory() + "dockadvise-fix-\(name)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.copyItem(atPath: input, toPath: work)
    defer { try? FileManager.default.removeItem(atPath: work) }
    var arguments = try String(contentsOfFile: caseDirectory + "/args", encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init)
    if !arguments.contains(where: Self.modes.contains) { arguments.insert("--write", at: 0) }

    let io = CommandIO.buffered(currentDirectory: work)
    let status = CLI.run(arguments: ["fix"] + arguments, environment: [:], io: io)
    let before = Self.files(in: input)
    let after = Self.files(in: work)
    let initPrefix = EmbeddedInit.contextDirectory + "/"
    var changed: [String: Data] = [:]
    for (path, data) in after where before[path] != data && !path.hasPrefix(initPrefix) { changed[path] = data }

    if Self.recording {
      try? FileManager.default.removeItem(atPath: caseDirectory + "/expected")
      for (path, data) in changed {
        let target = caseDirectory + "/expected/" + path
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: target))
      }
      try io.stderr.text.write(toFile: caseDirectory + "/expected.stderr", atomically: true, encoding: .utf8)
      if status == .success {
        try? FileManager.default.removeItem(atPath: caseDirectory + "/expected.status")
      } else {
        try "\(status.rawValue)\n".write(toFile: caseDirectory + "/expected.status", atomically: true, encoding: .utf8)
      }
      print("recorded \(name)")
      return
    }

    let expectedStatus = (try? String(contentsOfFile: caseDirectory + "/expected.status", encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    #expect(status.rawValue == expectedStatus, "\(name): status \(status.rawValue)\n\(io.stderr.text)")
    let expectedStderr = (try? String(contentsOfFile: caseDirectory + "/expected.stderr", encoding: .utf8)) ?? ""
    #expect(io.stderr.text == expectedStderr, "\(name): standard error differs:\n\(io.stderr.text)")

    let expected = Self.files(in: caseDirectory + "/expected")
    for (path, data) in expected {
      #expect(after[path] == data, "\(name): \(path) differs:\n\(after[path].map { String(decoding: $0, as: UTF8.self) } ?? "<missing>")")
    }
    for path in changed.keys where expected[path] == nil {
      Issue.record("\(name): \(path) changed but is not in expected/")
    }
    for path in before.keys where after[path] == nil { Issue.record("\(name): \(path) was removed") }
    // Init sources, when the strategy wrote them: exactly the embedded files, with emit-init's manifest.
    if after.keys.contains(where: { $0.hasPrefix(initPrefix) }) {
      for file in EmbeddedInit.files {
        #expect(after[initPrefix + file.path] == Data(file.bytes), "\(name): \(file.path) is not the embedded source")
        #expect(Self.isExecutable(work + "/" + initPrefix + file.path) == file.executable)
      }
      #expect(after.keys.filter { $0.hasPrefix(initPrefix) }.count == EmbeddedInit.files.count + 1)
      #expect(after[initPrefix + EmbeddedInit.manifestName] != nil)
    }
    // Modes: scripts the fix created are executable; the files it edited keep theirs.
    for (path, data) in changed {
      if before[path] == nil, data.starts(with: Array("#!".utf8)) {
        #expect(Self.isExecutable(work + "/" + path), "\(name): \(path) should be executable")
      }
      if before[path] != nil {
        #expect(Self.isExecutable(work + "/" + path) == Self.isExecutable(input + "/" + path), "\(name): \(path) changed mode")
      }
    }
    guard status == .success else { return }
    // The fixed Dockerfile parses, and fixing it again changes nothing.
    if let dockerfile = after["Dockerfile"] {
      #expect(!Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: Array(dockerfile))).hasErrors, "\(name): the fixed Dockerfile does not parse")
    }
    let again = CommandIO.buffered(currentDirectory: work)
    let check = CLI.run(arguments: ["fix"] + arguments.filter { !Self.modes.contains($0) } + ["--check"], environment: [:], io: again)
    #expect(check == .success, "\(name): a second fix would still change something")
    let diff = CommandIO.buffered(currentDirectory: work)
    _ = CLI.run(arguments: ["fix"] + arguments.filter { !Self.modes.contains($0) }, environment: [:], io: diff)
    #expect(diff.stdout.text.isEmpty, "\(name): second diff:\n\(diff.stdout.text)")
  }
}
