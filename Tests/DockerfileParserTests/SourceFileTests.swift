import Testing
@testable import DockerfileParser

@Suite struct SourceFileTests {
  @Test func linesAndColumnsCountScalars() {
    let file = SourceFile(path: "Dockerfile", text: "FROM a\r\n# é x\nCMD b")
    #expect(file.lineCount == 3)
    #expect(file.location(of: 0) == SourceLocation(line: 1, column: 1, byteColumn: 1))
    // "x" on line 2 sits after "# é " (é is two bytes)
    let xOffset = Array(file.bytes).firstIndex(of: UInt8(ascii: "x"))!
    #expect(file.location(of: xOffset) == SourceLocation(line: 2, column: 5, byteColumn: 6))
    #expect(file.lineText(1) == "FROM a")
    #expect(file.lineText(3) == "CMD b")
  }

  @Test func invalidUTF8CountsOneColumnPerByte() {
    let file = SourceFile(path: "f", bytes: [0xFF, 0xFE, 0x41])
    #expect(file.location(of: 2).column == 3)
  }

  @Test func mappedTextMapsAcrossRemovedContinuations() {
    // original: "RUN a \\\n  b" ; logical "a   b" built from two verbatim pieces
    var text = MappedText()
    text.appendVerbatim(Array("a ".utf8), originalStart: 4)
    text.appendVerbatim(Array("  b".utf8), originalStart: 8)
    #expect(text.text == "a   b")
    #expect(text.originalOffset(0) == 4)
    #expect(text.originalOffset(4) == 10)
    #expect(text.originalRange(0, 5) == SourceRange(start: 4, end: 11))
    #expect(text.originalRange(4, 5) == SourceRange(start: 10, end: 11))
  }

  @Test func mappedTextDecodedSegmentsCoverTheEscape() {
    var text = MappedText()
    text.appendVerbatim(Array("a".utf8), originalStart: 10)
    text.appendDecoded([UInt8(ascii: "\"")], originalStart: 11, originalLength: 2)
    text.appendVerbatim(Array("b".utf8), originalStart: 13)
    #expect(text.originalRange(1, 2) == SourceRange(start: 11, end: 13))
    #expect(text.originalRange(0, 3) == SourceRange(start: 10, end: 14))
  }
}

@Suite struct LineTableTests {
  @Test func lineStartsMatchASimpleScan() {
    var generator: UInt64 = 7
    for length in 0..<200 {
      var bytes: [UInt8] = []
      for _ in 0..<length {
        generator = generator &* 6364136223846793005 &+ 1442695040888963407
        bytes.append([0x0A, 0x0B, 0x09, 0x0A, 0x41, 0x00, 0x01, 0xFF][Int(generator >> 61)])
      }
      var expected = [0]
      for (index, byte) in bytes.enumerated() where byte == 0x0A { expected.append(index + 1) }
      #expect(SourceFile(path: "f", bytes: bytes).lineStarts == expected, "\(bytes)")
    }
  }
}

@Suite struct MappedTextSliceTests {
  @Test func sliceKeepsTheMapAcrossSegments() {
    var text = MappedText()
    text.reserveCapacity(bytes: 8, segments: 3)
    text.appendVerbatim(Array("ab".utf8).withUnsafeBufferPointer { Array($0) }, originalStart: 10)
    text.appendDecoded([UInt8(ascii: "\"")], originalStart: 12, originalLength: 2)
    Array("cd".utf8).withUnsafeBufferPointer { text.appendVerbatim($0, originalStart: 20) }
    #expect(text.text == "ab\"cd")
    let slice = text.slice(1..<4)
    #expect(slice.text == "b\"c")
    #expect(slice.originalRange(0, 1) == SourceRange(start: 11, end: 12))
    #expect(slice.originalRange(1, 2) == SourceRange(start: 12, end: 14))
    #expect(slice.originalRange(2, 3) == SourceRange(start: 20, end: 21))
    #expect(text.slice(2..<2).count == 0)
  }
}
