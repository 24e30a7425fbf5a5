import Testing
@testable import DockerfileParser

@Suite struct KeyValueTests {
  @Test func envPairsWithRawAndUnquotedValues() {
    let file = Dockerfile.parse("ENV A=1 B=\"two words\" C=three\\ words D='$x' \\\n    E=\"${Y:-z}\"\n")
    let pairs = file.instructions[0].keyValuePairs
    #expect(pairs.map(\.key.text) == ["A", "B", "C", "D", "E"])
    #expect(pairs.map { $0.value?.text } == ["1", "\"two words\"", "three\\ words", "'$x'", "\"${Y:-z}\""])
    #expect(pairs.map(\.unquotedValue) == ["1", "two words", "three words", "$x", "${Y:-z}"])
    #expect(pairs.allSatisfy { $0.hasEquals })
    #expect(text(file, pairs[1].range) == "B=\"two words\"")
    #expect(file.source.location(of: pairs[4].key.range.start).line == 2)
    #expect(file.instructions[0].value.count == 15)
  }

  @Test func legacyFormTakesTheRestOfTheLine() {
    let file = Dockerfile.parse("ENV PATH   /usr/bin:$PATH  extra\nLABEL maintainer Jane Doe <jane@x>\n")
    #expect(file.buildKitDump() == "(env \"PATH\" \"/usr/bin:$PATH  extra\" \"\")\n(label \"maintainer\" \"Jane Doe <jane@x>\" \"\")\n")
    let pair = file.instructions[0].keyValuePairs[0]
    #expect(!pair.hasEquals)
    #expect(text(file, pair.value?.range) == "/usr/bin:$PATH  extra")
  }

  @Test func expandedValueUsesTheEnvironment() {
    let pair = Dockerfile.parse("ENV P=\"$HOME/bin:${EXTRA:-none}\"").instructions[0].keyValuePairs[0]
    let expansion = pair.expandedValue { $0 == "HOME" ? "/root" : nil }
    #expect(expansion?.text == "/root/bin:none")
    #expect(expansion?.unresolvedVariables == ["EXTRA"])
    #expect(expansion?.resolvedVariables == ["HOME"])
  }

  @Test func quotedLabelKeysKeepTheirQuotes() {
    let pairs = Dockerfile.parse("LABEL \"com.example.vendor\"=\"ACME Inc\" version=1.0").instructions[0].keyValuePairs
    #expect(pairs.map(\.key.text) == ["\"com.example.vendor\"", "version"])
    #expect(pairs.map(\.unquotedValue) == ["ACME Inc", "1.0"])
  }

  @Test func envErrors() {
    #expect(Dockerfile.parse("FROM a\nENV A").parserErrors == [.missingKeyValueArgument])
    let file = Dockerfile.parse("FROM a\nENV A=1 B C=2")
    #expect(file.parserErrors == [.missingEquals])
    #expect(text(file, file.issues[0].range) == "B")
    #expect(file.issues[0].message.hasPrefix("can't find = in \"B\""))
    // Without arguments the parser is fine; the instruction layer is not.
    let empty = Dockerfile.parse("FROM a\nENV")
    #expect(empty.parserAccepts)
    #expect(empty.issues.map(\.message) == ["ENV requires at least one argument"])
  }

  @Test func argNamesAndDefaults() {
    let file = Dockerfile.parse("ARG A B=2 C= D=\"x y\"\nFROM z\n")
    let pairs = file.instructions[0].keyValuePairs
    #expect(pairs.map(\.key.text) == ["A", "B", "C", "D"])
    #expect(pairs.map { $0.value?.text } == [nil, "2", "", "\"x y\""])
    #expect(pairs.map(\.unquotedValue) == [nil, "2", "", "x y"])
    #expect(text(file, pairs[1].value?.range) == "2")
    #expect(file.globalArgumentIndices == [0])
    #expect(Dockerfile.parse("FROM a\nARG =x").issues.map(\.message) == ["ARG names can not be blank"])
  }

  @Test func wordsUseUnicodeWhiteSpaceAndReplaceInvalidUTF8() {
    #expect(dump("ARG a\u{00A0}b\n") == "(arg \"a\" \"b\")\n")
    let bytes = Array("LABEL a=".utf8) + [0xFF] + Array("\n".utf8)
    #expect(Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: bytes)).buildKitDump() == "(label \"a\" \"\u{FFFD}\" \"=\")\n")
  }

  @Test func escapeInsideQuotesAndAtTheEnd() {
    #expect(dump("ENV a=\"x\\\"y\" b='p\\'\n") == "(env \"a\" \"\\\"x\\\\\\\"y\\\"\" \"=\" \"b\" \"'p\\\\'\" \"=\")\n")
  }
}
