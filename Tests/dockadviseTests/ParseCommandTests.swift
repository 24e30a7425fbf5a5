import Foundation
import Testing
@testable import dockadvise

@Suite struct ParseCommandTests {
  /// A temporary directory with the given files, removed after `body`.
  func withFiles(_ files: [String: [UInt8]], _ body: (URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dockadvise-parse-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, bytes) in files { try Data(bytes).write(to: directory.appendingPathComponent(name)) }
    try body(directory)
  }

  func run(_ arguments: [String], stdin: [UInt8] = [], in directory: URL? = nil) -> (ExitCode, CommandIO) {
    let io = CommandIO.buffered(stdin: stdin, currentDirectory: directory?.path ?? FileManager.default.currentDirectoryPath)
    return (CLI.run(arguments: ["parse"] + arguments, environment: [:], io: io), io)
  }

  static let sample = Array("FROM alpine AS base\r\nENV A=1\nCOPY --from=base <<EOF /x\nhi\nEOF\nCMD [\"sh\", \"-c\", \"exec app\"]\n".utf8)

  @Test func sourceFormatPrintsTheInputBack() throws {
    try withFiles(["Dockerfile": Self.sample]) { directory in
      let (status, io) = run(["--format", "source", "Dockerfile"], in: directory)
      #expect(status == .success)
      #expect(io.stdout.bytes == Self.sample)
      #expect(io.stderr.text.isEmpty)
    }
  }

  @Test func buildkitFormat() {
    let (status, io) = run(["--format=buildkit", "-"], stdin: Self.sample)
    #expect(status == .success)
    #expect(io.stdout.text == """
      (from "alpine" "AS" "base")
      (env "A" "1" "=")
      (copy ["--from=base"] "<<EOF" "/x")
      (cmd "sh" "-c" "exec app")

      """)
  }

  @Test func jsonFormatHasTheOracleFields() throws {
    let (status, io) = run(["-"], stdin: Self.sample)
    #expect(status == .success)
    let document = try #require(try JSONSerialization.jsonObject(with: Data(io.stdout.bytes)) as? [String: Any])
    let instructions = try #require(document["instructions"] as? [[String: Any]])
    #expect(instructions.map { $0["cmd"] as? String } == ["from", "env", "copy", "cmd"])
    #expect(instructions[2]["flags"] as? [String] == ["--from=base"])
    #expect(instructions[2]["start_line"] as? Int == 3)
    #expect(instructions[2]["end_line"] as? Int == 5)
    let heredoc = try #require((instructions[2]["heredocs"] as? [[String: Any]])?.first)
    #expect(heredoc["name"] as? String == "EOF")
    #expect(heredoc["content"] as? String == "hi\n")
    #expect(heredoc["fd"] as? Int == 0)
    #expect(instructions[3]["json"] as? Bool == true)
    #expect(instructions[3]["value"] as? [String] == ["sh", "-c", "exec app"])
    #expect(instructions[0]["sub_cmd"] is NSNull)
    // Keys come in a fixed order.
    #expect(io.stdout.text.contains("\"cmd\": \"from\",\n      \"sub_cmd\": null,\n      \"flags\": []"))
  }

  @Test func onbuildReportsItsTrigger() throws {
    let (_, io) = run(["-"], stdin: Array("FROM a\nONBUILD RUN [\"make\"]\n".utf8))
    let document = try #require(try JSONSerialization.jsonObject(with: Data(io.stdout.bytes)) as? [String: Any])
    let onbuild = try #require((document["instructions"] as? [[String: Any]])?.last)
    #expect(onbuild["cmd"] as? String == "onbuild")
    #expect(onbuild["sub_cmd"] as? String == "run")
    #expect(onbuild["json"] as? Bool == true)
    #expect(onbuild["value"] as? [String] == ["make"])
  }

  @Test func parseErrorExitsTwoWithALocatedDiagnostic() throws {
    try withFiles(["Dockerfile": Array("FROM a\nRUN <<EOF\nnever ends\n".utf8)]) { directory in
      let (status, io) = run(["--format", "buildkit", "Dockerfile"], in: directory)
      #expect(status == .failure)
      #expect(io.stdout.text.isEmpty)
      #expect(io.stderr.text == "Dockerfile:2:5: error: unterminated heredoc: expected a line \"EOF\" before the end of the file\n")
    }
  }

  @Test func instructionErrorsPrintTheTreeAndFail() {
    let (status, io) = run(["--format", "buildkit", "-"], stdin: Array("FROM a\nFROOM b\n".utf8))
    #expect(status == .failure)
    #expect(io.stdout.text == "(from \"a\")\n(froom \"\")\n")
    #expect(io.stderr.text.hasPrefix("<stdin>:2:1: error: unknown instruction: FROOM (did you mean FROM?)"))
  }

  @Test func warningsDoNotFail() {
    let (status, io) = run(["--format", "buildkit", "-"], stdin: Array("FROM a\nRUN x \\\n\ny\n".utf8))
    #expect(status == .success)
    #expect(io.stderr.text.hasPrefix("<stdin>:3:1: warning: empty continuation line"))
  }

  @Test func sourceFormatStillPrintsAFileBuildKitRejects() {
    let input = Array("# escape=x\nFROM a\n".utf8)
    let (status, io) = run(["--format", "source", "-"], stdin: input)
    #expect(status == .failure)
    #expect(io.stdout.bytes == input)
  }

  @Test func unreadableInputs() throws {
    try withFiles(["Dockerfile": Array("FROM a\n".utf8)]) { directory in
      let (missing, missingIO) = run(["nope/Dockerfile"], in: directory)
      #expect(missing == .failure)
      #expect(missingIO.stderr.text == "nope/Dockerfile:1:1: error: cannot read file: no such file or directory\n")

      let (folder, folderIO) = run([directory.path], in: directory)
      #expect(folder == .failure)
      #expect(folderIO.stderr.text.hasSuffix(":1:1: error: cannot read file: it is a directory\n"))

      let locked = directory.appendingPathComponent("locked")
      try Data("FROM a\n".utf8).write(to: locked)
      try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
      defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: locked.path) }
      if !FileManager.default.isReadableFile(atPath: locked.path) {  // root can read anything
        let (denied, deniedIO) = run(["locked"], in: directory)
        #expect(denied == .failure)
        #expect(deniedIO.stderr.text == "locked:1:1: error: cannot read file: permission denied\n")
      } else {
        print("◇ skipping the permission-denied case of unreadableInputs: running as root, which reads a file of mode 000")
      }
    }
  }

  @Test func symlinkLoopIsAnErrorNamingTheFile() throws {
    try withFiles([:]) { directory in
      #expect(symlink("Dockerfile", directory.appendingPathComponent("Dockerfile").path) == 0)
      let (status, io) = run(["Dockerfile"], in: directory)
      #expect(status == .failure)
      #expect(io.stderr.text == "Dockerfile:1:1: error: cannot read file: too many levels of symbolic links\n")
      #expect(io.stdout.text.isEmpty)
    }
  }

  @Test func fifoIsAnErrorAndNeverBlocks() throws {
    try withFiles([:]) { directory in
      #expect(mkfifo(directory.appendingPathComponent("Dockerfile").path, 0o644) == 0)
      let (status, io) = run(["Dockerfile"], in: directory)
      #expect(status == .failure)
      #expect(io.stderr.text == "Dockerfile:1:1: error: cannot read file: not a regular file (a FIFO, socket or device)\n")
    }
  }

  @Test func usageErrors() {
    let (noFile, noFileIO) = run([])
    #expect(noFile == .failure)
    #expect(noFileIO.stderr.text.contains("expected a Dockerfile path"))
    let (badFormat, badFormatIO) = run(["--format", "jsn", "-"])
    #expect(badFormat == .failure)
    #expect(badFormatIO.stderr.text.contains("unknown format 'jsn' (did you mean 'json'?)"))
    let (badOption, badOptionIO) = run(["--frmat", "json", "-"])
    #expect(badOption == .failure)
    #expect(badOptionIO.stderr.text.contains("did you mean '--format'?"))
    let (help, helpIO) = run(["--help"])
    #expect(help == .success)
    #expect(helpIO.stdout.text.hasPrefix("usage: dockadvise parse"))
  }

  @Test func noneFormatOnlyParsesSeveralFiles() throws {
    try withFiles(["a": Array("FROM a\n".utf8), "b": Array("FROM b\n".utf8)]) { directory in
      let (status, io) = run(["--format", "none", "a", "b"], in: directory)
      #expect(status == .success)
      #expect(io.stdout.bytes.isEmpty)
    }
  }

  @Test func parseIsListedInHelp() {
    let io = CommandIO.buffered()
    #expect(CLI.run(arguments: ["help"], environment: [:], io: io) == .success)
    #expect(io.stdout.text.contains("parse"))
  }
}

@Suite struct JSONWriterTests {
  @Test func keysKeepTheirOrderAndStringsAreEscaped() {
    let value = JSONWriter.Value.object([
      ("b", .int(1)), ("a", .array([.bool(true), .null, .double(1.5), .double(2)])),
      ("s", .bytes(Array("q\"\\\n\t\u{01}\u{7F}é\u{2028}".utf8) + [0xFF, 0xC3])),
      ("empty", .object([])),
    ])
    let compact = JSONWriter(indent: nil).string(value)
    #expect(compact == "{\"b\": 1, \"a\": [true, null, 1.5, 2], \"s\": \"q\\\"\\\\\\n\\t\\u0001\u{7F}é\\u2028\\ufffd\\ufffd\", \"empty\": {}}\n")
    let pretty = JSONWriter().string(.object([("k", .array([.int(1)]))]))
    #expect(pretty == "{\n  \"k\": [\n    1\n  ]\n}\n")
  }

  @Test func outputIsValidJSONForAnyBytes() throws {
    var bytes: [UInt8] = []
    for byte in 0...255 { bytes.append(UInt8(byte)) }
    let text = JSONWriter(indent: nil).write(.object([("all", .bytes(bytes))]))
    let parsed = try JSONSerialization.jsonObject(with: Data(text)) as? [String: String]
    #expect(parsed?["all"]?.unicodeScalars.count == 256)
  }
}
