import Foundation
import Testing
@testable import DockerfileParser

/// Printing the tree gives the input back byte for byte, on every corpus file and on generated
/// variants (CRLF, BOM, no final newline, backtick escape); the pieces satisfy the structural
/// invariants; and the variants mean what BuildKit says they mean.
@Suite(.enabled(if: TestData.corpusAvailable, "\(TestData.corpusMissing)"))
struct RoundTripTests {
  @Test func corpusHasFiles() {
    #expect(TestData.allCorpusDockerfiles.count > 250)
  }

  @Test(arguments: TestData.allCorpusDockerfiles)
  func corpusFileRoundTrips(_ path: String) throws {
    let bytes = try TestData.corpusBytes(path)
    let file = TestData.parse(bytes: bytes)
    #expect(file.printed() == bytes)
    #expect(Invariants.violation(file) == nil)
  }

  @Test(arguments: TestData.allCorpusDockerfiles)
  func variantsRoundTripAndKeepTheirMeaning(_ path: String) throws {
    let bytes = try TestData.corpusBytes(path)
    let original = TestData.parse(bytes: bytes)

    // CRLF: BuildKit trims `\r` before `\n`, so the AST is the same; heredoc bodies keep their `\r`.
    let crlf = Variants.crlf(bytes)
    let crlfFile = TestData.parse(bytes: crlf)
    #expect(crlfFile.printed() == crlf)
    #expect(Invariants.violation(crlfFile) == nil)
    #expect(crlfFile.buildKitDump() == original.buildKitDump())
    #expect(crlfFile.instructions.map(\.endLine) == original.instructions.map(\.endLine))
    #expect(
      crlfFile.instructions.flatMap { $0.heredocs.map { $0.content.filter { $0 != 0x0D } } }
        == original.instructions.flatMap { $0.heredocs.map { $0.content.filter { $0 != 0x0D } } })

    // BOM: discarded on the first line.
    let bom = [0xEF, 0xBB, 0xBF] + bytes
    let bomFile = TestData.parse(bytes: bom)
    #expect(bomFile.printed() == bom)
    #expect(Invariants.violation(bomFile) == nil)
    #expect(bomFile.hasByteOrderMark)
    if !original.hasByteOrderMark {
      #expect(bomFile.buildKitDump() == original.buildKitDump())
    }

    // No final newline: same instructions.
    var trimmed = bytes
    if trimmed.last == 0x0A { trimmed.removeLast() }
    let trimmedFile = TestData.parse(bytes: trimmed)
    #expect(trimmedFile.printed() == trimmed)
    #expect(Invariants.violation(trimmedFile) == nil)
    if bytes.last == 0x0A && !bytes.dropLast().hasSuffix([0x0A]) {
      #expect(trimmedFile.buildKitDump() == original.buildKitDump())
    }

    // Backtick escape: the `\` continuations become backticks.
    let backtick = Variants.backtick(bytes)
    let backtickFile = TestData.parse(bytes: backtick)
    #expect(backtickFile.printed() == backtick)
    #expect(Invariants.violation(backtickFile) == nil)
    if original.directives.isEmpty && !original.hasByteOrderMark {
      #expect(backtickFile.escapeByte == 0x60)
      #expect(
        backtickFile.instructions.map { [$0.startLine - 1, $0.endLine - 1] } == original.instructions.map { [$0.startLine, $0.endLine] })
    }
  }
}

/// Generated variants of a file.
enum Variants {
  static func crlf(_ bytes: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + bytes.count / 20)
    for byte in bytes {
      if byte == 0x0A { output.append(0x0D) }
      output.append(byte)
    }
    return output
  }

  /// `# escape=`` prepended, and every backslash that ends a line (a continuation) turned into a
  /// backtick.
  static func backtick(_ bytes: [UInt8]) -> [UInt8] {
    var output = Array("# escape=`\n".utf8)
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    for index in lines.indices {
      var line = Array(lines[index])
      var end = line.count
      while end > 0 && (line[end - 1] == 0x20 || line[end - 1] == 0x09 || line[end - 1] == 0x0D) { end -= 1 }
      if end > 0 && line[end - 1] == 0x5C && (end == 1 || line[end - 2] != 0x5C) { line[end - 1] = 0x60 }
      lines[index] = line[...]
    }
    output.append(contentsOf: Array(lines.joined(separator: [0x0A])))
    return output
  }
}

extension ArraySlice where Element == UInt8 {
  func hasSuffix(_ suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self.suffix(suffix.count)) == suffix }
}
