import Foundation
import Testing

@testable import MultiProcAdvisor

/// The embedded sources are the files in `Sources/MultiProcAdvisor/Init/`, and they build a small static binary.
@Suite struct InitBuildTests {
  private static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/MultiProcAdvisor/Init")
    .path

  @Test func embeddedFilesAreExactlyTheSourceDirectory() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.sourceDirectory).filter { !$0.hasPrefix(".") }
    #expect(Set(names) == Set(EmbeddedInit.files.map(\.path)), "add new files to Package.swift and EmbeddedInit.files")
    for file in EmbeddedInit.files {
      let path = Self.sourceDirectory + "/" + file.path
      let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
      #expect(bytes == file.bytes, "\(file.path) differs from what is embedded")
      #expect(FileManager.default.isExecutableFile(atPath: path) == file.executable, "\(file.path) mode")
    }
    #expect(EmbeddedInit.files.first { $0.path == EmbeddedInit.buildScript }?.executable == true)
  }

  @Test func fingerprintIsStableAndFNV1a() {
    #expect(FNV1a.hex(of: Array("a".utf8)) == "af63dc4c8601ec8c")
    #expect(FNV1a.hex(of: []) == "cbf29ce484222325")
    #expect(EmbeddedInit.fingerprint == EmbeddedInit.fingerprint)
    #expect(EmbeddedInit.fingerprint.count == 16)
  }

  @Test func buildsAStaticBinaryWithinTheSizeBudget() throws {
    let path = try InitHarness.initPath()
    guard case .built(_, let log) = InitHarness.build else { return }
    let bytes = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
    #expect(Self.isStaticELF(bytes), "no PT_INTERP: a static executable")
    if log.contains("(musl") {
      #expect(bytes.count <= 80 * 1024, "musl build: \(bytes.count) bytes > 80 KiB")
    } else {
      #expect(bytes.count <= 1024 * 1024, "glibc build: \(bytes.count) bytes > 1 MiB")
    }
    print(log.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test func buildsWithGlibcToo() throws {
    // Built from its own copy of the sources, at the same time as the musl build the other tests use.
    let output: String
    let log: String
    switch InitHarness.buildInit(name: "dockadvise-init-glibc", libc: "glibc") {
    case .built(let path, let text):
      (output, log) = (path, text)
    case .unavailable(let reason):
      print("◇ skipping: \(reason)")
      try Test.cancel(Comment(rawValue: reason))
    case .failed(let text):
      Issue.record(Comment(rawValue: text))
      return
    }
    let bytes = try #require(FileManager.default.contents(atPath: output).map { [UInt8]($0) })
    #expect(Self.isStaticELF(bytes))
    #expect(bytes.count <= 1024 * 1024, "glibc build: \(bytes.count) bytes > 1 MiB")
    let run = InitHarness.runToEnd([output, "--", "/bin/sh", "-c", "exit 9"])
    #expect(run.status == 9)
    print(log.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test func buildScriptNeedsAnOutput() throws {
    _ = try InitHarness.initPath()
    let result = InitHarness.runToEnd(["/bin/sh", InitHarness.root + "/dockadvise-init-src/build.sh"])
    #expect(result.status == 2)
    #expect(result.output.contains("usage:"))
  }

  /// An ELF file without a PT_INTERP program header.
  static func isStaticELF(_ bytes: [UInt8]) -> Bool {
    guard bytes.count > 64, bytes[0..<4] == [0x7F, 0x45, 0x4C, 0x46], bytes[4] == 2 else { return false }
    func integer(_ offset: Int, _ size: Int) -> Int {
      (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
    let table = integer(0x20, 8)
    let entrySize = integer(0x36, 2)
    let count = integer(0x38, 2)
    return !(0..<count).contains { integer(table + $0 * entrySize, 4) == 3 }
  }
}
