import Foundation
import MultiProcAdvisor
import Testing

@testable import dockadvise

/// `dockadvise lint`: exit codes, bad input (each a clear message naming the file, exit 2, never a
/// crash or a hang), configuration layering, file discovery, standard input and parallel runs.
@Suite struct LintCommandTests {
  static let smelly = "FROM debian:bookworm-slim\nCMD echo starting && nginx -g 'daemon off;'\n"
  static let clean = "FROM alpine:3.20\nRUN apk add --no-cache tini nginx\nSTOPSIGNAL SIGQUIT\nENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"

  /// A fresh directory holding `files` (path → text).
  func directory(_ files: [String: String] = [:]) throws -> String {
    let root = NSTemporaryDirectory() + "dockadvise-lint-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    for (path, text) in files {
      let full = root + "/" + path
      try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try text.write(toFile: full, atomically: true, encoding: .utf8)
    }
    return root
  }

  func lint(_ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: String = "") -> Golden.Run {
    Golden.run(["lint", "--no-config"] + arguments, in: directory, environment: environment, stdin: Array(stdin.utf8))
  }

  // MARK: Exit codes

  @Test func exitCodesFollowTheThreshold() throws {
    let root = try directory(["smelly/Dockerfile": Self.smelly, "clean/Dockerfile": Self.clean])
    #expect(lint(["clean/Dockerfile"], in: root).status == .success)
    #expect(lint(["smelly/Dockerfile"], in: root).status == .findings)
    #expect(lint(["--fail-on", "error", "smelly/Dockerfile"], in: root).status == .success)
    #expect(lint(["--fail-on", "info", "smelly/Dockerfile"], in: root).status == .findings)
    #expect(lint(["--fail-on", "none", "smelly/Dockerfile"], in: root).status == .success)
    #expect(lint(["--no-fail", "smelly/Dockerfile"], in: root).status == .success)
    #expect(lint(["--severity", "DA101=error", "--fail-on", "error", "smelly/Dockerfile"], in: root).status == .findings)
    #expect(lint(["--ignore", "DA101", "smelly/Dockerfile"], in: root).status == .success)
    #expect(lint(["--ignore", "shell-form-pid1", "smelly/Dockerfile"], in: root).status == .success)
  }

  @Test func aReportGoesToStdoutAndNothingElse() throws {
    let root = try directory(["Dockerfile": Self.smelly])
    let run = lint(["--format", "json", "Dockerfile", "missing"], in: root)
    #expect(run.status == .failure)
    let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    #expect(document?["summary"] != nil)
    #expect(run.stderr == "missing: error: no such file or directory\n")
  }

  // MARK: Bad input

  func expectInputError(_ run: Golden.Run, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status == .failure, "status \(run.status)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(message), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
  }

  @Test func missingFile() throws {
    let root = try directory(["Dockerfile": Self.clean])
    expectInputError(lint(["Dockerfle"], in: root), "Dockerfle: error: no such file or directory (did you mean 'Dockerfile'?)")
    expectInputError(lint(["nowhere/Dockerfile"], in: root), "nowhere/Dockerfile: error: no such file or directory")
  }

  @Test func directoryWithoutDockerfiles() throws {
    let root = try directory(["docs/README.md": "# no Dockerfiles\n"])
    expectInputError(lint(["docs"], in: root), "docs: error: is a directory with no Dockerfiles in it")
    // No PATH means the current directory.
    expectInputError(lint([], in: root + "/docs"), ".: error: is a directory with no Dockerfiles in it")
  }

  @Test func directoryGivenAsTheDockerfile() throws {
    let root = try directory(["Dockerfile/README": "a directory named Dockerfile\n"])
    expectInputError(lint(["Dockerfile"], in: root), "Dockerfile: error: is a directory with no Dockerfiles in it")
    expectInputError(lint(["--context", "Dockerfile/README", "Dockerfile"], in: root), "--context 'Dockerfile/README': not a directory")
  }

  @Test func binaryFile() throws {
    let root = try directory()
    try Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00]).write(to: URL(fileURLWithPath: root + "/Dockerfile"))
    expectInputError(lint(["Dockerfile"], in: root), "Dockerfile: error: is a binary file (it contains NUL bytes), not a Dockerfile")
  }

  @Test func invalidUTF8() throws {
    let root = try directory()
    try Data("FROM alpine\n# caf".utf8 + [0xE9] + Array(" au lait\nCMD [\"x\"]\n".utf8)).write(to: URL(fileURLWithPath: root + "/Dockerfile"))
    expectInputError(lint(["Dockerfile"], in: root), "Dockerfile:2:6: error: invalid UTF-8 (byte 0xE9)")
  }

  @Test func fifoNeverHangs() throws {
    let root = try directory()
    #expect(mkfifo(root + "/Dockerfile", 0o644) == 0)
    expectInputError(lint(["Dockerfile"], in: root), "Dockerfile: error: is a FIFO, not a regular file")
    // Found by a directory search, too.
    expectInputError(lint(["."], in: root), "Dockerfile: error: is a FIFO, not a regular file")
  }

  @Test func unreadableFile() throws {
    guard getuid() != 0 else {
      print("◇ skipping unreadableFile: running as root, which reads a file of mode 000")
      try Test.cancel("root reads every file")
    }
    let root = try directory(["Dockerfile": Self.clean])
    chmod(root + "/Dockerfile", 0)
    expectInputError(lint(["Dockerfile"], in: root), "Dockerfile: error: cannot read: permission denied")
  }

  @Test func symlinkLoop() throws {
    let root = try directory()
    #expect(symlink("Dockerfile", root + "/Dockerfile") == 0)
    expectInputError(lint(["Dockerfile"], in: root), "Dockerfile: error: cannot read: too many levels of symbolic links")
    #expect(symlink("b/Dockerfile", root + "/a") == 0)
    #expect(symlink("a/Dockerfile", root + "/b") == 0)
    expectInputError(lint(["a/Dockerfile"], in: root), "a/Dockerfile: error: ")
    // Found by a directory search: reported, and the search itself does not loop.
    expectInputError(lint(["."], in: root), "Dockerfile: error: cannot read: too many levels of symbolic links")
  }

  @Test func hundredMegabyteDockerfileIsRefusedWithoutReadingIt() throws {
    let root = try directory()
    let path = root + "/Dockerfile"
    #expect(FileManager.default.createFile(atPath: path, contents: Data("FROM alpine\n".utf8)))
    #expect(truncate(path, 100 << 20) == 0)  // sparse: the test stays fast
    expectInputError(lint(["Dockerfile"], in: root), "Dockerfile: error: is larger than 16 MiB; not a Dockerfile")
  }

  @Test func emptyFileIsLintedNotRejected() throws {
    let root = try directory(["Dockerfile": ""])
    let run = lint(["Dockerfile"], in: root)
    #expect(run.status != .failure || run.stderr.isEmpty)
  }

  @Test func badConfigurationNamesFileLineAndColumn() throws {
    let root = try directory(["Dockerfile": Self.smelly, ".dockadvise.json": "{\n  \"ignore\": [\"DA101\"],\n  \"severty\": {}\n}\n"])
    let run = Golden.run(["lint", "Dockerfile"], in: root)
    #expect(run.status == .failure)
    #expect(run.stderr.hasPrefix(".dockadvise.json:3:3: error: unknown key 'severty' (did you mean 'severity'?)"), "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    let syntax = try directory(["Dockerfile": Self.smelly, ".dockadvise.json": "{\"ignore\": [\"DA101\",]}"])
    let broken = Golden.run(["lint", "Dockerfile"], in: syntax)
    #expect(broken.status == .failure)
    #expect(broken.stderr.hasPrefix(".dockadvise.json:1:"), "\(broken.stderr)")
    let unknownRule = try directory(["Dockerfile": Self.smelly, ".dockadvise.json": "{\"ignore\": [\"DA1O1\"]}"])
    let rule = Golden.run(["lint", "Dockerfile"], in: unknownRule)
    #expect(rule.stderr.contains(".dockadvise.json:1:13: error: unknown rule 'DA1O1' (did you mean 'DA101'?)"), "\(rule.stderr)")
  }

  @Test func missingConfigFile() throws {
    let root = try directory(["Dockerfile": Self.smelly])
    let run = Golden.run(["lint", "--config", "nope.json", "Dockerfile"], in: root)
    #expect(run.status == .failure)
    #expect(run.stderr == "nope.json: error: --config: no such file or directory\n")
  }

  @Test func unknownFlagSuggests() throws {
    let root = try directory(["Dockerfile": Self.smelly])
    let run = lint(["--fial-on", "error"], in: root)
    #expect(run.status == .failure)
    #expect(run.stderr.contains("unknown option '--fial-on' (did you mean '--fail-on'?)"))
    #expect(lint(["--format", "sraif"], in: root).stderr.contains("unknown format 'sraif' (did you mean 'sarif'?)"))
    #expect(lint(["--fail-on", "warn"], in: root).stderr.contains("(did you mean 'warning'?)"))
    #expect(lint(["--format"], in: root).stderr.contains("--format needs a value"))
    #expect(lint(["--no-fail=yes"], in: root).stderr.contains("--no-fail takes no value"))
  }

  @Test func unknownRuleCodeSuggests() throws {
    let root = try directory(["Dockerfile": Self.smelly])
    let run = lint(["--ignore", "DA1011"], in: root)
    #expect(run.status == .failure)
    #expect(run.stderr.contains("--ignore: unknown rule 'DA1011' (did you mean 'DA101'?)"))
    #expect(lint(["--severity", "shell-from-pid1=error"], in: root).stderr.contains("did you mean 'shell-form-pid1'?"))
    #expect(lint(["--severity", "DA101=fatal"], in: root).stderr.contains("unknown value 'fatal'"))
    #expect(lint(["--severity", "DA101"], in: root).stderr.contains("must be CODE=LEVEL"))
  }

  @Test func unknownTargetStage() throws {
    let root = try directory(["Dockerfile": "FROM alpine AS build\nRUN make\nFROM alpine AS app\nCMD [\"/app\"]\n"])
    let run = lint(["--target", "ap"], in: root)
    #expect(run.status == .failure)
    #expect(run.stderr.contains("Dockerfile: error: --target 'ap': no stage of that name (did you mean 'app'?); its stages are build or app"), "\(run.stderr)")
  }

  @Test func twoReportsOnStandardOutputAreAUsageError() throws {
    let root = try directory(["Dockerfile": Self.smelly])
    let run = lint(["--format", "json", "--format", "sarif"], in: root)
    #expect(run.status == .failure)
    #expect(run.stderr.contains("only one report can go to standard output"))
  }

  // MARK: Outputs

  @Test func eachFormatCanGoToItsOwnFile() throws {
    let root = try directory(["Dockerfile": Self.smelly])
    let run = lint(["--format", "text", "--format", "sarif", "--output", "out/report.sarif", "-f", "json", "-o", "report.json"], in: root)
    #expect(run.status == .failure)
    #expect(run.stderr.contains("cannot write the report to 'out/report.sarif'"))
    try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
    let again = lint(["--format", "text", "--format", "sarif", "--output", "out/report.sarif", "-f", "json", "-o", "report.json"], in: root)
    #expect(again.status == .findings)
    #expect(again.stdout.contains("DA101 shell-form-pid1"))
    #expect(Golden.read(root + "/out/report.sarif")?.contains("\"version\": \"2.1.0\"") == true)
    #expect(Golden.read(root + "/report.json")?.contains("\"findings\": [") == true)
  }

  // MARK: Configuration layering

  @Test func layersDefaultsThenFileThenEnvironmentThenFlags() throws {
    let root = try directory([
      "app/Dockerfile": Self.smelly,
      ".dockadvise.json": "{\"severity\": {\"DA101\": \"info\"}, \"fail-on\": \"warning\"}",
    ])
    func severity(_ run: Golden.Run) -> String? {
      let document = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
      let findings = document?["findings"] as? [[String: Any]]
      return findings?.first(where: { $0["code"] as? String == "DA101" })?["severity"] as? String
    }
    // The file, found above the Dockerfile.
    let fromFile = Golden.run(["lint", "-f", "json", "app/Dockerfile"], in: root)
    #expect(severity(fromFile) == "info")
    // The environment over the file.
    let fromEnvironment = Golden.run(
      ["lint", "-f", "json", "app/Dockerfile"], in: root, environment: ["DOCKADVISE_CONFIG": "{\"severity\": {\"DA101\": \"style\"}}"])
    #expect(severity(fromEnvironment) == "style")
    // Flags over both.
    let fromFlags = Golden.run(
      ["lint", "-f", "json", "--severity", "DA101=error", "app/Dockerfile"], in: root,
      environment: ["DOCKADVISE_CONFIG": "{\"severity\": {\"DA101\": \"style\"}}"])
    #expect(severity(fromFlags) == "error")
    // --no-config: the defaults.
    #expect(severity(Golden.run(["lint", "-f", "json", "--no-config", "app/Dockerfile"], in: root)) == "warning")
    // DOCKADVISE_CONFIG as a file path, with its errors located in it.
    try "{\"ignore\": [\"DA101\"], \"bogus\": 1}".write(toFile: root + "/env.json", atomically: true, encoding: .utf8)
    let badEnvironment = Golden.run(["lint", "app/Dockerfile"], in: root, environment: ["DOCKADVISE_CONFIG": "env.json"])
    #expect(badEnvironment.status == .failure)
    #expect(badEnvironment.stderr.hasPrefix("env.json:1:23: error: unknown key 'bogus'"), "\(badEnvironment.stderr)")
    let inline = Golden.run(["lint", "app/Dockerfile"], in: root, environment: ["DOCKADVISE_CONFIG": "{\"fail-on\": \"often\"}"])
    #expect(inline.stderr.hasPrefix("$DOCKADVISE_CONFIG:1:13: error: 'fail-on' must be one of"), "\(inline.stderr)")
  }

  @Test func nearestConfigurationWins() throws {
    let root = try directory([
      ".dockadvise.json": "{\"ignore\": [\"DA101\"]}",
      "a/Dockerfile": Self.smelly,
      "b/Dockerfile": Self.smelly,
      "b/.dockadvise.json": "{}",
    ])
    let run = Golden.run(["lint", "-f", "gnu", "."], in: root)
    #expect(!run.stdout.contains("a/Dockerfile"))
    #expect(run.stdout.contains("b/Dockerfile:2.1: warning: DA101"))
  }

  // MARK: Discovery

  @Test func directorySearchFindsDockerfileNamesOnly() throws {
    let root = try directory([
      "Dockerfile": Self.clean,
      "Containerfile": Self.clean,
      "api.Dockerfile": Self.clean,
      "web.dockerfile": Self.clean,
      "Dockerfile.dev": Self.clean,
      "Containerfile.test": Self.clean,
      "Dockerfile.dockerignore": "node_modules\n",
      "Dockerfile.oracle.json": "{}\n",
      "notes/Dockerfile.md.txt.dockerignore": "x\n",
      "README.md": "no\n",
      ".git/Dockerfile": Self.smelly,
      ".build/checkouts/Dockerfile": Self.smelly,
      "deep/er/Dockerfile": Self.clean,
    ])
    let inputs = InputDiscovery.discover(["."], currentDirectory: root, stdinName: nil).map(\.display)
    #expect(
      inputs == [
        "Containerfile", "Containerfile.test", "Dockerfile", "Dockerfile.dev", "api.Dockerfile", "deep/er/Dockerfile", "web.dockerfile",
      ])
    let run = lint(["."], in: root)
    #expect(run.status == .success)
    #expect(run.stdout == "Linted 7 files: no findings\n")
  }

  @Test func filesNamedTwiceAreLintedOnce() throws {
    let root = try directory(["Dockerfile": Self.smelly])
    let run = lint(["-f", "gnu", "Dockerfile", "./Dockerfile", "."], in: root)
    #expect(run.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1)
  }

  @Test func contextFilesPrintRelativeToTheWorkingDirectory() throws {
    let root = try directory([
      "svc/Dockerfile": "FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
      "svc/start.sh": "#!/bin/sh\nnode server.js\n",
    ])
    let run = lint(["-f", "gnu", "svc/Dockerfile"], in: root)
    #expect(run.stdout.contains("svc/start.sh:2.1: warning: DA102"), "\(run.stdout)")
    let withContext = lint(["-f", "gnu", "--context", "svc", "svc/Dockerfile"], in: root)
    #expect(withContext.stdout == run.stdout)
  }

  // MARK: Standard input

  @Test func standardInput() throws {
    let root = try directory(["app/start.sh": "#!/bin/sh\nnode server.js\n"])
    let plain = lint(["-f", "gnu", "-"], in: root, stdin: Self.smelly)
    #expect(plain.status == .findings)
    #expect(plain.stdout.hasPrefix("<stdin>:2.1: warning: DA101"))
    let named = lint(
      ["-f", "gnu", "--stdin-filename", "app/Dockerfile", "-"], in: root, stdin: "FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n")
    #expect(named.stdout.contains("app/start.sh:2.1: warning: DA102"), "\(named.stdout)")
    let binary = lint(["-"], in: root, stdin: "FROM alpine\u{0}")
    #expect(binary.status == .failure)
    #expect(binary.stderr.contains("<stdin>: error: is a binary file"))
  }

  // MARK: Many files

  @Test func parallelRunsPrintInInputOrder() throws {
    var files: [String: String] = [:]
    for index in 0..<40 { files[String(format: "svc%02d/Dockerfile", index)] = index % 3 == 0 ? Self.smelly : Self.clean }
    let root = try directory(files)
    let serial = lint(["-j", "1", "-f", "json", "."], in: root)
    for _ in 0..<3 {
      let parallel = lint(["-j", "8", "-f", "json", "."], in: root)
      #expect(parallel.stdout == serial.stdout)
      #expect(parallel.status == serial.status)
    }
    #expect(serial.stdout.contains("\"files\": 40"))
  }

  @Test func corpusLintsWithoutInputErrors() throws {
    let corpus = "/work/shared/corpus"
    guard FileManager.default.fileExists(atPath: corpus) else { return }
    let run = Golden.run(["lint", "--no-config", "-f", "json", "--no-fail", corpus], in: Golden.repositoryRoot)
    #expect(run.stderr.isEmpty, "\(run.stderr.prefix(2000))")
    #expect(run.status == .success)
  }
}
