import Testing
@testable import DockerfileParser

@Suite struct HeredocTests {
  @Test func runHeredocWithRangesAndPieces() throws {
    let source = "FROM a\nRUN <<EOF\necho hi\nexec app\nEOF\nCMD x\n"
    let file = Dockerfile.parse(source)
    let run = file.instructions[1]
    #expect(run.startLine == 2 && run.endLine == 5)
    let heredoc = try #require(run.heredocs.first)
    #expect(heredoc.name == "EOF")
    #expect(heredoc.contentText == "echo hi\nexec app\n")
    #expect(heredoc.fileDescriptor == 0)
    #expect(heredoc.expands && !heredoc.stripsLeadingTabs && heredoc.isTerminated)
    #expect(text(file, heredoc.markerRange) == "<<EOF")
    #expect(text(file, heredoc.nameRange) == "EOF")
    #expect(text(file, heredoc.bodyRange) == "echo hi\nexec app\n")
    #expect(text(file, heredoc.terminatorRange) == "EOF")
    #expect(text(file, run.range) == "RUN <<EOF\necho hi\nexec app\nEOF")
    #expect(file.pieces(of: run).map(\.kind) == [.keyword, .whitespace, .arguments, .newline, .heredocBody, .heredocTerminator])
    #expect(file.buildKitDump() == "(from \"a\")\n(run \"<<EOF\")\n(cmd \"x\")\n")
    // The body maps back to the file: "exec" is on line 4.
    let body = heredoc.body
    let exec = Array(body.bytes).firstIndex(of: UInt8(ascii: "x"))! - 1
    #expect(file.source.location(of: body.originalOffset(exec)).line == 4)
  }

  @Test func stripTabsHeredoc() throws {
    let file = Dockerfile.parse("RUN <<-EOF\n\tone\n\t\ttwo\n\tEOF\n")
    let heredoc = try #require(file.instructions[0].heredocs.first)
    #expect(heredoc.stripsLeadingTabs)
    #expect(heredoc.contentText == "\tone\n\t\ttwo\n")
    #expect(heredoc.effectiveContent.text == "one\ntwo\n")
    #expect(file.source.location(of: heredoc.effectiveContent.originalOffset(4)).line == 3)
    #expect(text(file, heredoc.terminatorRange) == "\tEOF")
    // Without `-`, a tab-indented terminator does not end the heredoc.
    let plain = Dockerfile.parse("RUN <<EOF\n\tEOF\n")
    #expect(plain.parserErrors == [.unterminatedHeredoc])
  }

  @Test func quotedDelimitersDoNotExpand() {
    let file = Dockerfile.parse("RUN <<\"EOF\"\n$A\nEOF\nRUN <<'X'\n$A\nX\nRUN <<E\"O\"F\n$A\nEOF\nRUN <<EOF\n$A\nEOF\n")
    #expect(file.instructions.map { $0.heredocs.first?.expands } == [false, false, false, true])
    #expect(file.instructions.map { $0.heredocs.first?.name } == ["EOF", "X", "EOF", "EOF"])
    #expect(text(file, file.instructions[0].heredocs[0].nameRange) == "\"EOF\"")
  }

  @Test func fileDescriptorAndSeveralHeredocsOnOneLine() throws {
    let file = Dockerfile.parse("COPY <<A 3<<B /dest/\nfirst\nA\nsecond\nB\n")
    let heredocs = file.instructions[0].heredocs
    #expect(heredocs.map(\.name) == ["A", "B"])
    #expect(heredocs.map(\.fileDescriptor) == [0, 3])
    #expect(heredocs.map(\.contentText) == ["first\n", "second\n"])
    #expect(file.instructions[0].endLine == 5)
    let copy = try #require(file.instructions[0].copyArguments)
    #expect(copy.heredocSources.map(\.name) == ["A", "B"])
    #expect(copy.pathSources.isEmpty)
    #expect(copy.destination?.text == "/dest/")
  }

  @Test func blankAfterTheOperatorIsAllowed() {
    let file = Dockerfile.parse("RUN <<  EOF  > /x\ncontent\nEOF\n")
    #expect(file.instructions[0].heredocs.map(\.name) == ["EOF"])
    #expect(text(file, file.instructions[0].heredocs[0].markerRange) == "<<  EOF")
    // `<<- EOF` is not a heredoc: the word after `<<-` is separate.
    #expect(Dockerfile.parse("RUN <<- EOF\n").instructions[0].heredocs.isEmpty)
  }

  @Test func onlyRunCopyAndAddInShellFormHaveHeredocs() {
    #expect(Dockerfile.parse("CMD <<EOF\nEOF\n").instructions[0].heredocs.isEmpty)
    #expect(Dockerfile.parse("RUN [\"<<EOF\"]\nEOF\n").instructions[0].heredocs.isEmpty)
    #expect(Dockerfile.parse("RUN \"<<NOHEREDOC\"\n").instructions[0].heredocs.isEmpty)
    #expect(Dockerfile.parse("ADD <<EOF /x\nEOF\n").instructions[0].heredocs.count == 1)
    let onbuild = Dockerfile.parse("FROM a\nONBUILD RUN <<EOF\nx\nEOF\n")
    #expect(onbuild.instructions[1].heredocs.map(\.contentText) == ["x\n"])
    #expect(onbuild.instructions[1].triggerInstruction?.heredocs.count == 1)
  }

  @Test func unterminatedHeredocRunsToTheEnd() {
    let file = Dockerfile.parse("FROM a\nRUN <<EOF\nline\nFROM b\n")
    #expect(file.parserErrors == [.unterminatedHeredoc])
    let issue = file.issues[0]
    #expect(file.source.location(of: issue.range.start) == SourceLocation(line: 2, column: 5, byteColumn: 5))
    #expect(issue.message.contains("\"EOF\""))
    #expect(file.instructions.count == 2)
    #expect(file.instructions[1].heredocs.first?.contentText == "line\nFROM b\n")
    #expect(file.instructions[1].endLine == 4)
    #expect(Invariants.violation(file) == nil)
  }

  @Test func crlfTerminatorMatchesAndContentKeepsCarriageReturns() {
    let file = Dockerfile.parse("RUN <<EOF\r\na\r\nEOF\r\n")
    #expect(file.instructions[0].heredocs.first?.contentText == "a\r\n")
    #expect(file.issues.isEmpty || file.issues.allSatisfy { $0.code == .noBuildStage })
  }

  @Test func terminatorMustMatchExactly() {
    let file = Dockerfile.parse("RUN <<EOF\nEOF \nEOFX\nEOF\n")
    #expect(file.instructions[0].heredocs.first?.contentText == "EOF \nEOFX\n")
  }

  @Test func heredocLinesAreNotInstructions() {
    let file = Dockerfile.parse("FROM a\nCOPY <<EOF /x\nFROM evil\n# comment\nEOF\nUSER b\n")
    #expect(file.instructions.map(\.kind) == [.from, .copy, .user])
    #expect(file.stages.count == 1)
  }

  @Test func heredocDetectionUsesBackslashWhateverTheEscape() {
    let file = Dockerfile.parse("# escape=`\nFROM a\nRUN <<EOF\nx\nEOF\n")
    #expect(file.instructions[1].heredocs.map(\.contentText) == ["x\n"])
  }

  @Test func unbalancedQuoteInTheLineMeansNoHeredoc() {
    // BuildKit ignores a lexing error of the whole line: no heredocs.
    let file = Dockerfile.parse("RUN <<EOF echo \"unterminated\nEOF\n")
    #expect(file.instructions[0].heredocs.isEmpty)
    #expect(file.instructions.count == 2)
  }

  @Test func copyHeredocAsDestinationIsRejected() {
    let file = Dockerfile.parse("FROM a\nCOPY /foo <<EOF\nEOF\n")
    #expect(file.parserAccepts)
    #expect(file.issues.map(\.message) == ["COPY cannot accept a heredoc as a destination"])
  }
}
