import DockerfileParser
import Foundation
import Testing

@testable import MultiProcAdvisor

/// Random argv (spaces, quotes, `$`, backslashes, newlines, globs, non-ASCII) written by the strategies
/// comes back unchanged when the generated file is run for real: a Procfile line through
/// `/bin/sh -c "exec …"` (what dockadvise-init does) and through the built init itself, the wrapper
/// script through bash, an s6 `run` script through sh; and supervisord's `command=` through our shlex.
@Suite struct StrategyArgvRoundTripTests {
  /// Prints each of its arguments followed by NUL.
  static let printer = ["/bin/sh", "-c", "for a; do printf '%s\\0' \"$a\"; done", "printer"]

  static func randomArgv(_ generator: inout some RandomNumberGenerator) -> [String] {
    (0..<Int.random(in: 0...5, using: &generator)).map { _ in ShellQuotingTests.randomArgument(&generator) }
  }

  static func service(_ argv: [String], directory: String? = nil, environment: [(String, String)] = []) -> ServicePlan.Service {
    ServicePlan.Service(
      name: "printer", command: ShellQuoting.join(printer + argv), isSimple: true, directory: directory, environment: environment)
  }

  /// Runs `arguments` and returns the NUL-separated words of its standard output, and its status.
  static func run(_ arguments: [String], in directory: String? = nil) throws -> (words: [String], status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var words = String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    words.removeLast()
    return (words, process.terminationStatus)
  }

  static func scratch() throws -> String {
    let path = NSTemporaryDirectory() + "dockadvise-argv-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// A renderer over an empty Debian image, for the scripts that need one.
  static func renderer(_ plan: ServicePlan, _ strategy: Strategy) -> StrategyRenderer {
    let context = Linter.analyse(
      Linter.Request(dockerfile: SourceFile(path: "Dockerfile", text: "FROM debian:bookworm-slim\n"), context: InMemoryBuildContext(files: [:])))
    return StrategyRenderer(context: context, plan: plan, strategy: strategy)
  }

  @Test(arguments: ["/bin/sh", "/bin/dash", "/bin/bash"])
  func procfileLinesRoundTripThroughShExec(shell: String) throws {
    guard FileManager.default.isExecutableFile(atPath: shell) else { return print("skipped: \(shell) is not installed") }
    var generator = SystemRandomNumberGenerator()
    for index in 0..<60 {
      let argv = Self.randomArgv(&generator)
      let service = index % 3 == 0
        ? Self.service(argv, directory: "/", environment: [("X_Y", ShellQuotingTests.randomArgument(&generator))]) : Self.service(argv)
      guard let line = StrategyRenderer.procfileLine(service, prelude: nil) else {
        #expect(!ShellQuoting.isSingleLine(argv) || service.environment.contains { !ShellQuoting.isSingleLine([$0.1]) }, "refused a one-line command")
        continue
      }
      let command = String(line.dropFirst("printer: ".count))
      // dockadvise-init prefixes `exec` unless the command starts with a builtin (`cd`) or is `exec …` already.
      let script = command.hasPrefix("cd ") || command.hasPrefix("exec ") ? command : "exec " + command
      #expect(try Self.run([shell, "-c", script]).words == argv, "line: \(line)")
    }
  }

  /// "\r\n" is a single Character in Swift: a check on Characters misses it, so the line would be split.
  @Test(arguments: ["a\r\nb", "a\nb", "a\rb", "\r\n"])
  func aProcfileRefusesAnyLineBreak(word: String) {
    #expect(StrategyRenderer.procfileLine(Self.service([word]), prelude: nil) == nil)
    #expect(StrategyRenderer.procfileLine(Self.service(["a b"]), prelude: nil) != nil)
  }

  @Test func procfilesRoundTripThroughTheBuiltInit() throws {
    let initPath = try InitHarness.initPath()
    var generator = SystemRandomNumberGenerator()
    let directory = try Self.scratch()
    var checked = 0
    while checked < 25 {
      let argv = Self.randomArgv(&generator)
      guard let line = StrategyRenderer.procfileLine(Self.service(argv), prelude: nil) else { continue }
      let procfile = directory + "/Procfile"
      try Data(("# generated\n" + line + "\n").utf8).write(to: URL(fileURLWithPath: procfile))
      let result = try Self.run([initPath, "--procfile", procfile])
      #expect(result.status == 0)
      #expect(result.words == argv, "line: \(line)")
      checked += 1
    }
  }

  @Test func wrapperScriptsRoundTripThroughBash() throws {
    guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return print("skipped: bash is not installed") }
    var generator = SystemRandomNumberGenerator()
    let directory = try Self.scratch()
    for index in 0..<30 {
      let argv = Self.randomArgv(&generator)
      var plan = ServicePlan(origin: "CMD")
      plan.services = [index % 2 == 0 ? Self.service(argv) : Self.service(argv, directory: directory)]
      let script = directory + "/run-services.sh"
      try Data(Self.renderer(plan, .wrapper).wrapperScript().utf8).write(to: URL(fileURLWithPath: script))
      let result = try Self.run(["/bin/bash", script])
      #expect(result.words == argv)
      #expect(result.status == 0, "the service ended with 0, so does the wrapper")
    }
  }

  @Test func s6RunScriptsRoundTripThroughSh() throws {
    var generator = SystemRandomNumberGenerator()
    let directory = try Self.scratch()
    for _ in 0..<30 {
      let argv = Self.randomArgv(&generator)
      var plan = ServicePlan(origin: "CMD")
      plan.services = [Self.service(argv, environment: [("MODE", "a b")])]
      let run = Self.renderer(plan, .s6).s6RunScript(plan.services[0])
      #expect(run.hasPrefix("#!/command/with-contenv sh\n"))
      let script = directory + "/run"
      try Data(run.utf8).write(to: URL(fileURLWithPath: script))
      #expect(try Self.run(["/bin/sh", script]).words == argv)
    }
  }

  /// supervisord reads `command=` with Python's `shlex.split`; written with `shlex.quote`, random argv
  /// reads back the same through our `Shlex`, and our reading agrees with Python's on random text.
  @Test func supervisordCommandsReadLikePythonsShlex() throws {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<200 {
      let argv = (0..<Int.random(in: 1...5, using: &generator)).map { _ in ShellQuotingTests.randomArgument(&generator) }
      #expect(Shlex.split(ShellQuoting.join(argv)) == argv)
    }
    guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile) else {
      return print("skipped: python3 is not installed")
    }
    var samples: [String] = []
    for _ in 0..<200 { samples.append((0..<Int.random(in: 1...4, using: &generator)).map { _ in ShellQuotingTests.randomArgument(&generator) }.joined(separator: " ")) }
    let directory = try Self.scratch()
    let input = directory + "/samples.json"
    try JSONSerialization.data(withJSONObject: samples).write(to: URL(fileURLWithPath: input))
    let program = """
      import json, shlex, sys
      out = []
      for s in json.load(open(sys.argv[1])):
          try: out.append(shlex.split(s))
          except ValueError: out.append(None)
      print(json.dumps(out))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", program, input]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let expected = try JSONSerialization.jsonObject(with: data) as! [Any]
    for (sample, python) in zip(samples, expected) {
      #expect(Shlex.split(sample) == python as? [String], "shlex.split(\(sample.debugDescription))")
    }
  }
}
