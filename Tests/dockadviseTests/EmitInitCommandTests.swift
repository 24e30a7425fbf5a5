import Foundation
import MultiProcAdvisor
import Testing

@testable import dockadvise

/// `dockadvise emit-init [--force] DIR`.
@Suite struct EmitInitCommandTests {
  private func temporaryDirectory() -> String {
    NSTemporaryDirectory() + "dockadvise-emit-init-\(UUID().uuidString.prefix(8))"
  }

  private func emit(_ arguments: [String], in directory: String = NSTemporaryDirectory()) -> (ExitCode, CommandIO) {
    let io = CommandIO.buffered(currentDirectory: directory)
    return (CLI.run(arguments: ["emit-init"] + arguments, environment: [:], io: io), io)
  }

  @Test func writesTheSourcesAndAnExecutableBuildScript() throws {
    let directory = temporaryDirectory()
    let (code, io) = emit([directory])
    #expect(code == .success)
    #expect(io.stderr.text.isEmpty)
    #expect(
      io.stdout.text == "dockadvise: wrote 9 of 9 files to \(directory)\nbuild it with: \(directory)/build.sh OUTPUT\n")
    for file in EmbeddedInit.files {
      #expect(FileManager.default.contents(atPath: directory + "/" + file.path).map { [UInt8]($0) } == file.bytes)
    }
    #expect(FileManager.default.isExecutableFile(atPath: directory + "/build.sh"))
    #expect(!FileManager.default.isExecutableFile(atPath: directory + "/Main.swift"))
  }

  @Test func relativeDirectoriesAreResolvedAgainstTheCurrentDirectory() throws {
    let base = temporaryDirectory()
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    let (code, io) = emit(["dockadvise/init/"], in: base)
    #expect(code == .success, "\(io.stderr.text)")
    #expect(io.stdout.text.hasSuffix("build it with: dockadvise/init/build.sh OUTPUT\n"))
    #expect(FileManager.default.fileExists(atPath: base + "/dockadvise/init/Supervisor.swift"))
  }

  @Test func runningAgainIsANoOp() throws {
    let directory = temporaryDirectory()
    _ = emit([directory])
    let (code, io) = emit([directory])
    #expect(code == .success)
    #expect(io.stdout.text.hasPrefix("dockadvise: wrote 0 of 9 files to \(directory) (9 unchanged)\n"))
  }

  @Test func refusesToOverwriteAFileItDidNotWriteUnlessForced() throws {
    let directory = temporaryDirectory()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: directory + "/build.sh", contents: Data("#!/bin/sh\necho mine\n".utf8))
    let (code, io) = emit([directory])
    #expect(code == .failure)
    #expect(
      io.stderr.text
        == "dockadvise: emit-init: '\(directory)/build.sh' exists and was not written by dockadvise (or changed since); use --force to overwrite\n"
    )
    #expect(io.stdout.text.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: directory + "/Main.swift"), "nothing was written")

    let (forced, forcedIO) = emit(["--force", directory])
    #expect(forced == .success, "\(forcedIO.stderr.text)")
    #expect(
      FileManager.default.contents(atPath: directory + "/build.sh").map { [UInt8]($0) } == EmbeddedInit.files[0].bytes)
  }

  @Test(
    arguments: [
      ([], "dockadvise: emit-init: expected one directory\n"),
      (["a", "b"], "dockadvise: emit-init: expected one directory\n"),
      (["--forse", "x"], "dockadvise: emit-init: unknown option '--forse' (did you mean '--force'?)\n"),
    ] as [([String], String)])
  func usageErrorsExitTwo(arguments: [String], message: String) {
    let (code, io) = emit(arguments)
    #expect(code == .failure)
    #expect(io.stderr.text.hasPrefix(message))
    #expect(io.stdout.text.isEmpty)
  }

  @Test func aFileInTheWayIsAnError() throws {
    let path = temporaryDirectory()
    _ = FileManager.default.createFile(atPath: path, contents: Data())
    let (code, io) = emit([path])
    #expect(code == .failure)
    #expect(io.stderr.text == "dockadvise: emit-init: '\(path)' is not a directory\n")
  }

  @Test func operandsAfterDoubleDashMayStartWithADash() throws {
    let base = temporaryDirectory()
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    let (code, _) = emit(["--", "-init"], in: base)
    #expect(code == .success)
    #expect(FileManager.default.fileExists(atPath: base + "/-init/build.sh"))
  }

  @Test func helpListsTheCommand() {
    let io = CommandIO.buffered()
    #expect(CLI.run(arguments: ["help"], environment: [:], io: io) == .success)
    #expect(io.stdout.text.contains("emit-init"))
    let usage = CommandIO.buffered()
    #expect(CLI.run(arguments: ["emit-init", "--help"], environment: [:], io: usage) == .success)
    #expect(usage.stdout.text.hasPrefix("usage: dockadvise emit-init [--force] DIR"))
  }
}
