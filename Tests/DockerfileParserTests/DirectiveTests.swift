import Testing
@testable import DockerfileParser

@Suite struct DirectiveTests {
  @Test func syntaxEscapeAndCheckAreRecognisedCaseInsensitively() {
    let file = Dockerfile.parse("# Syntax = docker/dockerfile:1.7 \n#ESCAPE=`\n# check=skip=all;error=true\nFROM a\n")
    #expect(file.directives.map(\.name) == ["syntax", "escape", "check"])
    #expect(file.directives.map(\.value) == ["docker/dockerfile:1.7", "`", "skip=all;error=true"])
    #expect(file.escapeByte == 0x60)
    #expect(text(file, file.directives[0].nameRange) == "Syntax")
    #expect(text(file, file.directives[0].valueRange) == "docker/dockerfile:1.7")
    #expect(file.issues.isEmpty)
  }

  @Test func directivesEndAtTheFirstOtherLine() {
    // A blank line, a plain comment or an instruction ends the directive section.
    #expect(Dockerfile.parse("\n# escape=`\nFROM a\n").directives.isEmpty)
    #expect(Dockerfile.parse("# hello\n# escape=`\nFROM a\n").directives.isEmpty)
    #expect(Dockerfile.parse("FROM a\n# escape=`\n").directives.isEmpty)
    // An unknown key also ends it.
    let file = Dockerfile.parse("# foo=bar\n# escape=`\nFROM a\n")
    #expect(file.directives.isEmpty)
    #expect(file.escapeByte == 0x5C)
    #expect(file.pieces.filter { $0.kind == .comment }.count == 2)
  }

  @Test func duplicateDirectiveIsAnError() {
    let file = Dockerfile.parse("# escape=`\n# ESCAPE=\\\nFROM a\n")
    #expect(file.parserErrors == [.duplicateDirective])
    #expect(file.escapeByte == 0x60)
    let location = file.source.location(of: file.issues[0].range.start)
    #expect(location.line == 2 && location.column == 1)
    #expect(file.issues[0].message.contains("only one escape parser directive"))
  }

  @Test func invalidEscapeIsAnError() {
    let file = Dockerfile.parse("# escape=x\nFROM a\n")
    #expect(file.parserErrors == [.invalidEscapeDirective])
    #expect(file.escapeByte == 0x5C)
    #expect(text(file, file.issues[0].range) == "x")
  }

  @Test func valueIsTrimmedAndWhitespaceOnlyValueIsTheLastCharacter() {
    #expect(Dockerfile.parse("#syntax=\t x y \t\nFROM a").directives.first?.value == "x y")
    // `(.+?)` must take one character: `# escape= ` has the value " ", which is not a valid token.
    let file = Dockerfile.parse("# escape= \nFROM a\n")
    #expect(file.parserErrors == [.invalidEscapeDirective])
    // Nothing after `=` is no directive at all.
    #expect(Dockerfile.parse("# escape=\nFROM a\n").directives.isEmpty)
  }

  @Test func byteOrderMarkIsSkippedBeforeADirective() {
    let file = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: [0xEF, 0xBB, 0xBF] + Array("# escape=`\nFROM a `\n  AS b\n".utf8)))
    #expect(file.hasByteOrderMark)
    #expect(file.directives.map(\.name) == ["escape"])
    #expect(file.buildKitDump() == "(from \"a\" \"AS\" \"b\")\n")
    #expect(file.pieces.first?.kind == .byteOrderMark)
    #expect(file.printed() == file.source.bytes)
  }

  @Test func leadingWhitespaceBeforeADirectiveIsAllowed() {
    let file = Dockerfile.parse("  # escape=`\nFROM a\n")
    #expect(file.escapeByte == 0x60)
  }
}
