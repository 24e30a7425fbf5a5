import Testing
@testable import DockerfileParser

@Suite struct CommandFormTests {
  @Test func execFormKeepsDecodedValuesAndRanges() throws {
    let file = Dockerfile.parse("FROM a\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")
    let cmd = file.instructions[1]
    #expect(cmd.isJSON)
    let arguments = try #require(cmd.commandForm?.execArguments)
    #expect(arguments.map(\.value) == ["nginx", "-g", "daemon off;"])
    #expect(text(file, arguments[2].range) == "\"daemon off;\"")
    #expect(text(file, arguments[2].contentRange) == "daemon off;")
    #expect(arguments[2].text.originalRange(0, 6) == arguments[2].contentRange.startRange(length: 6))
  }

  @Test func escapesMapToTheirSource() throws {
    let file = Dockerfile.parse("CMD [\"a\\\"b\", \"\\u00e9x\", \"\\/\"]\n")
    let arguments = try #require(file.instructions[0].commandForm?.execArguments)
    #expect(arguments.map(\.value) == ["a\"b", "éx", "/"])
    // The decoded quote maps to the two bytes `\"`.
    let quote = arguments[0].text.originalRange(1, 2)
    #expect(file.text(quote) == "\\\"")
    // "é" (two decoded bytes) maps to the six bytes `\u00e9`; "x" maps to itself.
    #expect(file.text(arguments[1].text.originalRange(0, 2)) == "\\u00e9")
    #expect(file.text(arguments[1].text.originalRange(2, 3)) == "x")
  }

  @Test func invalidJSONFallsBackToShellForm() throws {
    for text in ["CMD ['a', 'b']", "CMD [\"a\",]", "CMD [\"a\"] && b", "CMD [\"a\\x\"]", "CMD [\"a\"\t, \u{0B}\"b\"]"] {
      let file = Dockerfile.parse(text)
      let form = try #require(file.instructions[0].commandForm)
      guard case .shell(let shell, let looksLikeJSON) = form else {
        Issue.record("\(text) should be shell form")
        continue
      }
      #expect(looksLikeJSON, "\(text)")
      #expect(!file.instructions[0].isJSON)
      #expect(shell.text == String(text.dropFirst(4)))
      #expect(file.parserAccepts)
    }
    let plain = Dockerfile.parse("CMD echo hi")
    guard case .shell(_, let looksLikeJSON)? = plain.instructions[0].commandForm else {
      Issue.record("expected shell form")
      return
    }
    #expect(!looksLikeJSON)
  }

  @Test func nonStringElementIsAnError() {
    for text in ["CMD [1]", "CMD [\"a\", [\"b\"]]", "CMD [null]", "RUN [\"a\", {\"b\": 1}]", "ADD [true, \"x\"]"] {
      let file = Dockerfile.parse(text)
      #expect(file.parserErrors == [.jsonNotStringArray], "\(text)")
      #expect(!file.instructions[0].isJSON)
      #expect(file.instructions[0].looksLikeJSON)
    }
    let file = Dockerfile.parse("CMD [\"a\", 2]")
    #expect(file.text(file.issues.first { $0.code == .jsonNotStringArray }!.range) == "2")
  }

  @Test func numbersGoCannotDecodeMakeItShellForm() {
    // json.Unmarshal fails with a type error for 1e400, so BuildKit uses shell form (no error).
    let file = Dockerfile.parse("CMD [\"a\", 1e400]")
    #expect(file.parserAccepts)
    #expect(!file.instructions[0].isJSON)
    #expect(file.buildKitDump() == "(cmd \"[\\\"a\\\", 1e400]\")\n")
  }

  @Test func emptyArrayIsExecFormWithoutValues() {
    #expect(dump("CMD []\n") == "(cmd)\n")
    #expect(Dockerfile.parse("CMD []").instructions[0].commandForm?.execArguments?.isEmpty == true)
    #expect(Dockerfile.parse("CMD").instructions[0].commandForm == nil)
  }

  @Test func jsonNestingLimitMatchesGo() {
    let deep = "CMD " + String(repeating: "[", count: 10_001) + String(repeating: "]", count: 10_001)
    let file = Dockerfile.parse(deep)
    #expect(file.parserAccepts)
    #expect(!file.instructions[0].isJSON)
    let limit = "CMD " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    #expect(Dockerfile.parse(limit).parserErrors == [.jsonNotStringArray])
  }

  @Test func stringsSplitByAContinuationMapToBothLines() throws {
    let file = Dockerfile.parse("CMD [\"a \\\nb\"]\n")
    let argument = try #require(file.instructions[0].commandForm?.execArguments?.first)
    #expect(argument.value == "a b")
    #expect(file.source.location(of: argument.text.originalOffset(2)).line == 2)
  }

  @Test func invalidUTF8IsReplacedLikeGo() throws {
    let bytes = Array("CMD [\"a".utf8) + [0xFF] + Array("b\"]".utf8)
    let file = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: bytes))
    let argument = try #require(file.instructions[0].commandForm?.execArguments?.first)
    #expect(argument.bytes == [0x61, 0xEF, 0xBF, 0xBD, 0x62])
    #expect(file.buildKitDump() == "(cmd \"a\u{FFFD}b\")\n")
  }

  @Test func shellAndHealthcheckForms() throws {
    let file = Dockerfile.parse("SHELL [\"pwsh\", \"-c\"]\nHEALTHCHECK --timeout=3s CMD [\"curl\", \"-f\", \"x\"]\nHEALTHCHECK CMD  curl x\n")
    #expect(file.instructions[0].shellCommand?.map(\.value) == ["pwsh", "-c"])
    #expect(file.instructions[1].commandForm?.execArguments?.map(\.value) == ["curl", "-f", "x"])
    #expect(file.instructions[2].commandForm?.shellText?.text == "curl x")
  }

  @Test func copyVolumeAndAddUseJSONOrWords() {
    #expect(dump("VOLUME [\"/a\", \"/b\"]\nVOLUME /c /d\n") == "(volume \"/a\" \"/b\")\n(volume \"/c\" \"/d\")\n")
    let file = Dockerfile.parse("COPY [\"a b\", \"/c\"]\n")
    #expect(file.instructions[0].isJSON)
    #expect(file.instructions[0].copyArguments?.destination?.text == "/c")
  }
}

extension SourceRange {
  func startRange(length: Int) -> SourceRange { SourceRange(start: start, end: start + length) }
}
