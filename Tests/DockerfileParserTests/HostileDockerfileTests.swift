import Testing
@testable import DockerfileParser

/// Hostile and odd Dockerfiles: binary data, NUL bytes, invalid UTF-8, huge files and lines, thousands of
/// continuation lines and heredocs, unterminated constructs at the end of the file. The parser never
/// traps, always round-trips, reports what BuildKit reports, and stays linear (these run in seconds even
/// in a debug build). Big inputs are generated here, never committed.
@Suite struct HostileDockerfileTests {
  /// Parses and checks the invariants every input must satisfy.
  @discardableResult
  private func parse(_ bytes: [UInt8]) -> Dockerfile {
    let file = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: bytes))
    #expect(file.printed() == bytes, "printed() must reproduce the input")
    var covered = 0
    for piece in file.pieces where piece.range.start == covered { covered = piece.range.end }
    #expect(covered == bytes.count, "pieces must cover every byte once, in order")
    return file
  }

  private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  /// A generator of arbitrary bytes that is the same on every run.
  private struct Bytes {
    var state: UInt64
    mutating func next() -> UInt8 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
  }

  @Test func binaryDataIsAParseErrorNotACrash() {
    var generator = Bytes(state: 8)
    for length in [1, 7, 100, 4096, 65_536] {
      let data = (0..<length).map { _ in generator.next() }
      let file = parse(data)
      // Random bytes are not a Dockerfile: BuildKit rejects them (unknown instruction, no FROM, …).
      #expect(file.issues.filter { $0.severity == .error }.map(\.message) != [])
    }
  }

  @Test func nulBytesStayInValuesAndRoundTrip() {
    let input =
      bytes("FROM alpine\nENV A=x") + [0] + bytes("y\nCMD [\"echo\", \"a") + [0] + bytes("b\"]\nRUN echo ") + [0, 0, 0x0A]
      + bytes("ENTRYPOINT [\"a\\u0000b\"]\n")
    let file = parse(input)
    #expect(file.instructions.count == 5)
    #expect(file.issues.filter { $0.severity == .error }.map(\.message) == [])
    #expect(file.instructions[1].keyValuePairs.first?.value?.bytes == [0x78, 0, 0x79])
    // A raw control character is not valid JSON (Go's encoding/json): BuildKit takes the shell form.
    #expect(file.instructions[2].isJSON == false)
    #expect(file.instructions[4].commandForm?.execArguments?.first?.bytes == [0x61, 0, 0x62])
  }

  @Test func invalidUTF8IsAcceptedAsBuildKitDoes() {
    // BuildKit reads bytes: an invalid sequence in a value is not an error.
    let invalid: [UInt8] = [0xFF, 0xFE, 0xC3, 0xC3, 0xE2, 0x82, 0xED, 0xA0, 0x80, 0xF8, 0x80]
    let input =
      bytes("FROM alpine\nLABEL note=") + invalid + bytes("\nENV GREETING=caf") + [0xE9]
      + bytes("\nRUN echo ") + invalid + bytes(" > /x\nCMD [\"echo\", \"") + invalid + bytes("\"]\n# ") + invalid + bytes("\n")
    let file = parse(input)
    #expect(file.parserAccepts)
    #expect(file.issues.filter { $0.severity == .error }.map(\.message) == [])
    #expect(file.instructions.count == 5)
    #expect(file.instructions[2].keyValuePairs.first?.key.text == "GREETING")
    #expect(file.instructions[4].commandForm?.execArguments?.count == 2)
    if case .shell(let text, _)? = file.instructions[3].commandForm {
      let script = ShellScript.parse(text)
      #expect(script.diagnostics.filter { $0.severity == .error }.map(\.message) == [])
      #expect(script.invocations.first?.command.name == "echo")
    } else {
      Issue.record("RUN should be in shell form")
    }
  }

  @Test func hundredMegabyteDockerfile() {
    // 100 MB: a file embedded with a heredoc, a long comment block, and a few thousand real instructions.
    // (100 MB of nothing but instructions is timed by Scripts/bench-scale.sh: a debug build is too slow.)
    let block = bytes(
      """
      FROM debian:bookworm AS build
      ENV PATH=/opt/app/bin:$PATH LANG=C.UTF-8
      RUN apt-get update \\
       && apt-get install -y --no-install-recommends curl ca-certificates \\
       && rm -rf /var/lib/apt/lists/*
      COPY --chown=app:app . /opt/app
      CMD ["/opt/app/bin/server", "--port", "8080"]

      """)
    let line = bytes("0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 $HOME ${PATH}\n")
    let lines = 50 << 20 / line.count
    var input: [UInt8] = []
    input.reserveCapacity(100 << 20 + 4096)
    for _ in 0..<2_000 { input += block }
    input += bytes("COPY <<EOF /srv/data.txt\n")
    for _ in 0..<lines { input += line }
    input += bytes("EOF\n")
    for _ in 0..<lines { input += bytes("# ") + line }
    input += bytes("ENTRYPOINT [\"/opt/app/bin/server\"]\n")
    #expect(input.count >= 100 << 20)
    let file = parse(input)
    #expect(file.instructions.count == 2_000 * 5 + 2)
    #expect(file.stages.count == 2_000)
    #expect(file.instructions[10_000].heredocs.first?.content.count == lines * line.count)
    #expect(file.issues.filter { $0.severity == .error }.map(\.message) == [])
  }

  @Test func tenMegabyteLineIsReportedAsBuildKitDoes() {
    // BuildKit's scanner refuses lines over 64 KiB: one clear error, no crash, no quadratic work.
    let input = bytes("FROM alpine\nRUN echo ") + [UInt8](repeating: 0x61, count: 10 << 20) + bytes("\nCMD [\"x\"]\n")
    let file = parse(input)
    #expect(file.issues.contains { $0.code == .lineTooLong })
    #expect(file.instructions.count == 3)
    let comment = bytes("FROM alpine\n# ") + [UInt8](repeating: 0x62, count: 10 << 20) + bytes("\n")
    #expect(parse(comment).issues.contains { $0.code == .lineTooLong })
  }

  @Test func hundredThousandContinuationLines() {
    var input = bytes("FROM alpine\nRUN set -e \\\n")
    for index in 0..<100_000 { input += bytes(" && echo \(index) \\\n") }
    input += bytes(" && true\nCMD [\"sh\"]\n")
    let file = parse(input)
    #expect(file.instructions.count == 3)
    #expect(file.instructions[1].endLine == 100_003)
    #expect(file.issues.filter { $0.severity == .error }.map(\.message) == [])
    // Comment and empty lines inside one continuation.
    var mixed = bytes("FROM alpine\nENV A=1 \\\n")
    for _ in 0..<50_000 { mixed += bytes("# note\n\n  B=2 \\\n") }
    mixed += bytes("  C=3\n")
    #expect(parse(mixed).instructions.count == 2)
  }

  @Test func tenThousandHeredocs() {
    // One instruction with 10,000 heredocs, then 10,000 instructions with one each.
    var one = bytes("FROM alpine\nRUN")
    for index in 0..<10_000 { one += bytes(" <<E\(index)") }
    one += bytes("\n")
    for index in 0..<10_000 { one += bytes("line \(index)\nE\(index)\n") }
    let file = parse(one)
    #expect(file.instructions.count == 2)
    #expect(file.instructions[1].heredocs.count == 10_000)
    #expect(file.instructions[1].heredocs.allSatisfy { $0.isTerminated })

    var many = bytes("FROM alpine\n")
    for index in 0..<10_000 { many += bytes("COPY <<EOF /etc/file\(index)\nvalue \(index)\nEOF\n") }
    let manyFile = parse(many)
    #expect(manyFile.instructions.count == 10_001)
    #expect(manyFile.issues.filter { $0.severity == .error }.map(\.message) == [])
  }

  @Test func unterminatedConstructsAtEndOfFile() {
    let cases: [String] = [
      "FROM alpine\nRUN <<EOF\necho hi\n",
      "FROM alpine\nRUN <<EOF",
      "FROM alpine\nRUN <<-'EOF' cat\n\tbody",
      "FROM alpine\nCOPY <<A <<B /x\na\nA\nb",
      "FROM alpine\nRUN echo 'unterminated",
      "FROM alpine\nRUN echo \"unterminated $(date",
      "FROM alpine\nCMD [\"echo\", \"unterminated",
      "FROM alpine\nENV A=\"unterminated",
      "FROM alpine\nRUN echo \\",
      "FROM alpine\nRUN echo \\\n\\\n",
      "FROM alpine\nRUN ${A:-${B:-",
      "# escape=`\nFROM alpine\nRUN echo `",
      "FROM alpine\nONBUILD ONBUILD RUN <<EOF",
    ]
    for text in cases {
      let file = parse(bytes(text))
      #expect(file.instructions.count >= 2, "\(text)")
      for instruction in file.instructions {
        if case .shell(let text, _)? = instruction.commandForm { _ = ShellScript.parse(text) }
      }
    }
    #expect(parse(bytes("FROM alpine\nRUN <<EOF\necho hi\n")).issues.contains { $0.code == .unterminatedHeredoc })
  }
}
