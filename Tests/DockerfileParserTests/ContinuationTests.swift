import Testing
@testable import DockerfileParser

@Suite struct ContinuationTests {
  @Test func continuationJoinsLinesWithoutASeparator() {
    #expect(dump("RUN a \\\n  b\nRUN c\\\nd\n") == "(run \"a   b\")\n(run \"cd\")\n")
  }

  @Test func whitespaceAfterTheEscapeStillContinues() {
    #expect(dump("RUN a \\ \t\nb\n") == "(run \"a b\")\n")
  }

  @Test func escapedEscapeDoesNotContinue() {
    #expect(dump("RUN a\\\\\nRUN b\n") == "(run \"a\\\\\\\\\")\n(run \"b\")\n")
  }

  @Test func commentAndEmptyLinesInsideAContinuationAreSkipped() {
    let file = Dockerfile.parse("FROM x\nRUN a \\\n# note\n  # indented\n\n   \nb\n")
    #expect(file.buildKitDump() == "(from \"x\")\n(run \"a b\")\n")
    #expect(file.instructions[1].startLine == 2)
    #expect(file.instructions[1].endLine == 7)
    let kinds = file.pieces(of: file.instructions[1]).map(\.kind)
    #expect(kinds.filter { $0 == .continuationComment }.count == 2)
    #expect(kinds.contains(.emptyContinuationLine))
    #expect(file.issueCodes == [.emptyContinuationLine])
    #expect(file.issues[0].severity == .warning)
    #expect(file.source.location(of: file.issues[0].range.start).line == 5)
  }

  @Test func escapeAtTheEndOfTheFile() {
    let file = Dockerfile.parse("FROM a\nRUN b \\")
    #expect(file.buildKitDump() == "(from \"a\")\n(run \"b\")\n")
    #expect(file.instructions[1].endLine == 2)
    #expect(file.pieces.last?.kind == .lineContinuation)
    // A continuation that reaches the end of the file through comment lines.
    let trailing = Dockerfile.parse("FROM a\nRUN b \\\n# c\n")
    #expect(trailing.instructions[1].endLine == 3)
    #expect(trailing.instructions[1].range.end == trailing.source.bytes.count - 1)
  }

  @Test func escapeAloneOnTheFirstLineStartsAnInstruction() {
    let file = Dockerfile.parse("\\\nRUN a\n")
    #expect(file.buildKitDump() == "(run \"a\")\n")
    #expect(file.instructions[0].startLine == 1)
    #expect(text(file, file.instructions[0].keywordRange) == "RUN")
  }

  @Test func crlfIsTrimmedLikeBuildKit() {
    let file = Dockerfile.parse("FROM a\r\nRUN b \\\r\n  c\r\r\nCMD [\"d\"]\r\n")
    #expect(file.buildKitDump() == "(from \"a\")\n(run \"b   c\")\n(cmd \"d\")\n")
    #expect(file.pieces.filter { $0.kind == .newline }.map { file.text($0.range) } == ["\r\n", "\r\n", "\r\r\n", "\r\n"])
    #expect(file.printed() == file.source.bytes)
    // A lone `\r` inside a line is not a line break, but is white space for the keyword split.
    #expect(dump("RUN\ra\rb\n") == "(run \"a\\rb\")\n")
  }

  @Test func missingFinalNewline() {
    let file = Dockerfile.parse("FROM a\nCMD b")
    #expect(file.buildKitDump() == "(from \"a\")\n(cmd \"b\")\n")
    #expect(file.pieces.last?.kind == .arguments)
  }

  @Test func backtickEscape() {
    let file = Dockerfile.parse("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo hi\n")
    #expect(file.buildKitDump() == "(from \"a\")\n(run \"dir c:\\\\   && echo hi\")\n")
    #expect(file.pieces.filter { $0.kind == .lineContinuation }.map { file.text($0.range) } == ["`"])
  }

  @Test func argumentsMapBackAcrossContinuations() {
    let file = Dockerfile.parse("RUN echo a \\\n    && echo b\n")
    let arguments = file.instructions[0].arguments
    #expect(arguments.text == "echo a     && echo b")
    // "&&" in the logical text maps to line 2.
    let logical = Array(arguments.bytes).firstIndex(of: UInt8(ascii: "&"))!
    let offset = arguments.originalOffset(logical)
    #expect(file.source.location(of: offset).line == 2)
    #expect(file.source.location(of: offset).column == 5)
    #expect(text(file, file.instructions[0].argumentsRange) == "echo a \\\n    && echo b")
  }

  @Test func piecesOfAContinuedInstruction() {
    let file = Dockerfile.parse("  RUN --network=none a \\\n  b  \n")
    let kinds = file.pieces.map(\.kind)
    #expect(kinds == [.whitespace, .keyword, .whitespace, .flag, .whitespace, .arguments, .lineContinuation, .newline, .arguments, .whitespace, .newline])
    #expect(file.instructions[0].pieceIndices == 1..<10)
  }

  @Test func blankAndCommentLinesAreTopLevelTrivia() {
    let file = Dockerfile.parse("# c\n\n  \nFROM a # not a comment\n")
    #expect(file.pieces.map(\.kind) == [.comment, .newline, .newline, .whitespace, .newline, .keyword, .whitespace, .arguments, .newline])
    #expect(file.buildKitDump() == "(from \"a\" \"#\" \"not\" \"a\" \"comment\")\n")
    guard case .trivia(let first) = file.nodes[0] else {
      Issue.record("expected trivia first")
      return
    }
    #expect(first.kind == .comment)
  }

  @Test func tooLongLineIsAnError() {
    let long = "FROM a\nLABEL x=" + String(repeating: "a", count: 65_536) + "\n"
    let file = Dockerfile.parse(long)
    #expect(file.parserErrors == [.lineTooLong])
    #expect(file.printed() == file.source.bytes)
    let limit = "FROM a\nLABEL x=" + String(repeating: "a", count: 65_535 - 8) + "\n"
    #expect(Dockerfile.parse(limit).issues.isEmpty)
  }
}
