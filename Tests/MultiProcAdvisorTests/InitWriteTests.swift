import Foundation
import Testing

@testable import MultiProcAdvisor

/// `EmbeddedInit.write(to:force:)`: atomic writes, modes, and never overwriting someone else's files.
@Suite struct InitWriteTests {
  private func temporaryDirectory() -> String {
    NSTemporaryDirectory() + "dockadvise-init-write-\(UUID().uuidString.prefix(8))"
  }

  private func read(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }

  private func mode(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
  }

  @Test func writesEveryFileWithItsModeAndAManifest() throws {
    let directory = temporaryDirectory() + "/deeper/init"
    let result = try EmbeddedInit.write(to: directory)
    #expect(result.written == EmbeddedInit.files.map(\.path))
    for file in EmbeddedInit.files {
      #expect(read(directory + "/" + file.path) == file.bytes)
      #expect(mode(directory + "/" + file.path) == (file.executable ? 0o755 : 0o644), "\(file.path)")
    }
    let manifest = String(decoding: read(directory + "/" + EmbeddedInit.manifestName) ?? [], as: UTF8.self)
    #expect(manifest.contains(FNV1a.hex(of: EmbeddedInit.files[0].bytes) + " build.sh\n"))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)
  }

  @Test func writingAgainChangesNothing() throws {
    let directory = temporaryDirectory()
    try EmbeddedInit.write(to: directory)
    chmod(directory + "/build.sh", 0o644)  // a lost mode is restored
    let again = try EmbeddedInit.write(to: directory)
    #expect(again.written.isEmpty)
    #expect(again.unchanged == EmbeddedInit.files.map(\.path))
    #expect(mode(directory + "/build.sh") == 0o755)
  }

  @Test func refusesToOverwriteForeignOrEditedFilesAndWritesNothing() throws {
    let directory = temporaryDirectory()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: directory + "/Main.swift", contents: Data("mine\n".utf8))
    #expect(throws: EmbeddedInit.WriteError.wouldOverwrite([directory + "/Main.swift"])) {
      try EmbeddedInit.write(to: directory)
    }
    #expect(read(directory + "/Main.swift") == Array("mine\n".utf8))
    #expect(read(directory + "/build.sh") == nil, "nothing was written")

    let forced = try EmbeddedInit.write(to: directory, force: true)
    #expect(forced.written.contains("Main.swift"))
    #expect(read(directory + "/Main.swift") == EmbeddedInit.files.first { $0.path == "Main.swift" }?.bytes)

    // Edited after being written: refused again.
    _ = FileManager.default.createFile(atPath: directory + "/shim.h", contents: Data("edited\n".utf8))
    #expect(throws: EmbeddedInit.WriteError.wouldOverwrite([directory + "/shim.h"])) {
      try EmbeddedInit.write(to: directory)
    }
  }

  @Test func replacesItsOwnOlderFilesAndRemovesStaleOnes() throws {
    let directory = temporaryDirectory()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // What an older version would have written: an older Main.swift and a file that no longer exists.
    let older = Array("// older\n".utf8)
    let stale = Array("// gone\n".utf8)
    let edited = Array("// gone, but edited\n".utf8)
    _ = FileManager.default.createFile(atPath: directory + "/Main.swift", contents: Data(older))
    _ = FileManager.default.createFile(atPath: directory + "/Old.swift", contents: Data(stale))
    _ = FileManager.default.createFile(atPath: directory + "/Kept.swift", contents: Data(edited))
    let manifest =
      "# old\n\(FNV1a.hex(of: older)) Main.swift\n\(FNV1a.hex(of: stale)) Old.swift\n\(FNV1a.hex(of: stale)) Kept.swift\n"
    _ = FileManager.default.createFile(
      atPath: directory + "/" + EmbeddedInit.manifestName, contents: Data(manifest.utf8))

    let result = try EmbeddedInit.write(to: directory)
    #expect(result.written.contains("Main.swift"))
    #expect(result.removed == ["Old.swift"])
    #expect(read(directory + "/Old.swift") == nil)
    #expect(read(directory + "/Kept.swift") == edited, "an edited stale file is left alone")
  }

  @Test func failsOnAFileWhereTheDirectoryShouldBe() throws {
    let path = temporaryDirectory()
    _ = FileManager.default.createFile(atPath: path, contents: Data())
    #expect(throws: EmbeddedInit.WriteError.notADirectory(path)) { try EmbeddedInit.write(to: path) }
    #expect(throws: EmbeddedInit.WriteError.notADirectory(path)) { try EmbeddedInit.write(to: path + "/below") }
    #expect("\(EmbeddedInit.WriteError.notADirectory(path))" == "'\(path)' is not a directory")
  }
}
