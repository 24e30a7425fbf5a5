import Foundation
import Testing
@testable import MultiProcAdvisor

@Suite struct ShellQuotingTests {
  @Test func plainWordsStayPlain() {
    #expect(ShellQuoting.quote("nginx") == "nginx")
    #expect(ShellQuoting.quote("--port=80") == "--port=80")
    #expect(ShellQuoting.quote("daemon off;") == "'daemon off;'")
    #expect(ShellQuoting.quote("it's") == "'it'\\''s'")
    #expect(ShellQuoting.quote("") == "''")
    #expect(ShellQuoting.quote("~") == "'~'")
    #expect(ShellQuoting.quote("a=b", isCommandName: true) == "'a=b'")
  }

  /// Random arguments made of the characters that break naive quoting.
  static func randomArgument(_ generator: inout some RandomNumberGenerator) -> String {
    let alphabet: [String] = ["a", "Z", "0", " ", "'", "\"", "$", "\\", "\n", "\t", "*", "?", "[", "]", "~", "=", "-", "!", "`", "&", ";", "|", "(", ")", "{", "}", "<", ">", "#", "%", "é", "日", "🙂", "$(x)", "${y}", "\r"]
    let length = Int.random(in: 0...12, using: &generator)
    return (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
  }

  /// Runs `script` with `shell -c` and returns the NUL-separated words it printed.
  static func run(_ shell: String, _ script: String) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: shell)
    process.arguments = ["-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var words = String(decoding: data, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    words.removeLast()  // the text after the final NUL
    return words
  }

  @Test(arguments: ["/bin/sh", "/bin/bash", "/bin/dash"])
  func randomArgvRoundTripsThroughARealShell(shell: String) throws {
    guard FileManager.default.isExecutableFile(atPath: shell) else {
      print("skipped: \(shell) is not installed")
      return
    }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<40 {
      let argv = (0..<Int.random(in: 1...6, using: &generator)).map { _ in Self.randomArgument(&generator) }
      let script = "printf '%s\\0' " + ShellQuoting.join(argv)
      #expect(try Self.run(shell, script) == argv, "script: \(script)")
    }
  }
}
