import Foundation
import Testing
@testable import DockerfileParser

/// Malformed and hostile input: the parser never traps, always round-trips, and stays linear.
@Suite struct RobustnessTests {
  /// A small deterministic generator (SplitMix64).
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
  }

  static let fragments: [[UInt8]] = [
    "FROM ", "RUN ", "CMD ", "ENV ", "LABEL ", "ARG ", "COPY ", "ADD ", "ONBUILD ", "HEALTHCHECK ", "SHELL ", "USER ",
    "run ", "from x AS y", "\\", "`", "\n", "\r\n", "\r", " ", "\t", "#", "# escape=`\n", "# syntax=x\n", "[", "]",
    "\"", "'", ",", "\"a\"", "<<", "<<-", "EOF", "\nEOF\n", "3<<X", "--", "--from=", "--mount=type=cache", "=", "$",
    "${", "}", ":-", "\u{00A0}", "é", "\u{FEFF}", "1e999", "null", "{", "}", "\\u00", "NONE",
  ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x00], [0xEF, 0xBB, 0xBF], [0xED, 0xA0, 0x80]]

  @Test func randomInputsNeverBreakTheInvariants() {
    var generator = Generator(state: 0xDEC0_DE)
    for round in 0..<1_500 {
      var bytes: [UInt8] = []
      let pieces = Int(generator.next() % 60)
      for _ in 0..<pieces { bytes += generator.pick(Self.fragments) }
      let file = Dockerfile.parse(SourceFile(path: "fuzz", bytes: bytes))
      if let violation = Invariants.violation(file) {
        Issue.record("round \(round): \(violation) for \(bytes)")
        return
      }
      _ = file.buildKitDump()
      _ = file.syntaxDump()
      for instruction in file.instructions {
        _ = instruction.commandForm
        _ = instruction.keyValuePairs.map(\.unquotedValue)
        _ = instruction.copyArguments
        _ = instruction.healthcheck
        _ = instruction.heredocs.map(\.effectiveContent)
      }
    }
  }

  @Test func randomBytesNeverBreakTheInvariants() {
    var generator = Generator(state: 42)
    for round in 0..<500 {
      let count = Int(generator.next() % 400)
      let alphabet: [UInt8] = [0x0A, 0x0D, 0x20, 0x09, 0x5C, 0x60, 0x23, 0x22, 0x27, 0x5B, 0x5D, 0x3C, 0x2D, 0x3D, 0x24, 0x41, 0x52, 0x55, 0x4E, 0xFF, 0xC2, 0xA0, 0x85]
      let bytes = (0..<count).map { _ in generator.pick(alphabet) }
      let file = Dockerfile.parse(SourceFile(path: "fuzz", bytes: bytes))
      if let violation = Invariants.violation(file) {
        Issue.record("round \(round): \(violation) for \(bytes)")
        return
      }
    }
  }

  /// Parses `bytes` and returns the seconds it took.
  func time(_ bytes: [UInt8]) -> (Dockerfile, Double) {
    let start = ContinuousClock.now
    let file = Dockerfile.parse(SourceFile(path: "big", bytes: bytes))
    let elapsed = ContinuousClock.now - start
    return (file, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
  }

  @Test func pathologicalInputsStayFast() {
    let megabyte = 1 << 20
    let cases: [(String, [UInt8])] = [
      ("long continuation", Array(("RUN " + String(repeating: "a \\\n", count: megabyte / 4)).utf8)),
      ("empty continuation lines", Array(("RUN a \\\n" + String(repeating: "\n", count: megabyte)).utf8)),
      ("comment lines in a continuation", Array(("RUN a \\\n" + String(repeating: "#\n", count: megabyte / 2)).utf8)),
      ("many heredoc markers", Array(("RUN" + String(repeating: " <<A", count: 15_000) + "\n" + String(repeating: "A\n", count: 15_000)).utf8)),
      ("unterminated heredocs", Array(String(repeating: "RUN <<EOF\nx\n", count: megabyte / 12).utf8)),
      ("deep JSON", Array(("CMD " + String(repeating: "[", count: 60_000)).utf8)),
      ("many instructions", Array(String(repeating: "RUN echo hello world\n", count: megabyte / 21).utf8)),
      ("one huge line", Array(("RUN " + String(repeating: "x ", count: megabyte / 2)).utf8)),
      ("many flags", Array(("COPY" + String(repeating: " --from=x", count: megabyte / 10) + " a b").utf8)),
      ("nested dollar braces", Array(("RUN <<EOF " + String(repeating: "${a:-", count: 30_000) + "\nEOF\n").utf8)),
      ("many ENV pairs", Array(("ENV" + String(repeating: " a=\"b c\"", count: megabyte / 8)).utf8)),
    ]
    for (name, bytes) in cases {
      let (file, seconds) = time(bytes)
      #expect(file.printed() == bytes, "\(name)")
      // Generous for a debug build on a shared machine; quadratic behaviour would take minutes.
      #expect(seconds < 20, "\(name) took \(seconds) s")
    }
  }
}
