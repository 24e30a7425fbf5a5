import Testing
@testable import DockerfileParser

@Suite struct JSONParserTests {
  func parse(_ text: String) -> JSONValue? {
    if case .success(let value) = JSONParser.parse(text) { return value }
    return nil
  }

  func error(_ text: String) -> JSONParseError? {
    if case .failure(let failure) = JSONParser.parse(text) { return failure }
    return nil
  }

  @Test func valuesAndRanges() throws {
    let root = try #require(parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\ny\"], \"b\": {}} "))
    #expect(root.kind == .object)
    #expect(root.range == SourceRange(start: 1, end: 55))
    let array = try #require(root["a"])
    #expect(array.count == 6)
    #expect(array.elements.map(\.kind) == [.number, .number, .bool, .bool, .null, .string])
    #expect(array[0]?.number == 1)
    #expect(array[1]?.numberText == "-2.5e3")
    #expect(array[2]?.bool == true && array[3]?.bool == false)
    #expect(array[4]?.isNull == true)
    #expect(array[5]?.string == "x\ny")
    #expect(array[5]?.range == SourceRange(start: 38, end: 44))
    #expect(array[5]?.contentRange == SourceRange(start: 39, end: 43))
    #expect(root["b"]?.kind == .object && root["b"]?.count == 0)
    #expect(root.members.map { $0.key.string } == ["a", "b"])
    #expect(root["missing"] == nil)
  }

  @Test func duplicateKeysKeepTheLast() {
    #expect(parse("{\"a\": 1, \"a\": 2}")?["a"]?.number == 2)
  }

  @Test func stringEscapesAndSurrogates() {
    #expect(parse("\"\\u00e9\\ud83d\\ude00\\/\\b\"")?.string == "é😀/\u{8}")
    // A lone surrogate becomes U+FFFD, as Go decodes it.
    #expect(parse("\"\\ud800x\"")?.string == "\u{FFFD}x")
    #expect(parse("\"\\udc00\"")?.string == "\u{FFFD}")
    // Invalid UTF-8 bytes are replaced one by one.
    if case .success(let value) = JSONParser.parse([0x22, 0xE2, 0x82, 0x22]) {
      #expect(value.stringBytes == [0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD])
    } else {
      Issue.record("invalid UTF-8 inside a string is accepted by Go")
    }
  }

  @Test func errorsHaveOffsetsAndGoMessages() {
    #expect(error("[1,]") == JSONParseError(offset: 3, message: "invalid character ']' looking for beginning of value"))
    #expect(error("['a']") == JSONParseError(offset: 1, message: "invalid character '\\'' looking for beginning of value"))
    #expect(error("[1 2]") == JSONParseError(offset: 3, message: "invalid character '2' after array element"))
    #expect(error("{\"a\" 1}") == JSONParseError(offset: 5, message: "invalid character '1' after object key"))
    #expect(error("{\"a\":1 \"b\"}") == JSONParseError(offset: 7, message: "invalid character '\"' after object key:value pair"))
    #expect(error("{1:2}") == JSONParseError(offset: 1, message: "invalid character '1' looking for beginning of object key string"))
    #expect(error("[\"a\tb\"]") == JSONParseError(offset: 3, message: "invalid character '\\t' in string literal"))
    #expect(error("\"\\x\"") == JSONParseError(offset: 2, message: "invalid character 'x' in string escape code"))
    #expect(error("[tru]") == JSONParseError(offset: 4, message: "invalid character ']' in literal true (expecting 'e')"))
    #expect(error("[01]") == JSONParseError(offset: 2, message: "invalid character '1' after array element"))
    #expect(error("[1.]") == JSONParseError(offset: 3, message: "invalid character ']' after decimal point in numeric literal"))
    #expect(error("[") == JSONParseError(offset: 1, message: "unexpected end of JSON input"))
    #expect(error("") == JSONParseError(offset: 0, message: "unexpected end of JSON input"))
    #expect(error("[] x") == JSONParseError(offset: 3, message: "invalid character 'x' after top-level value"))
    #expect(error("[\u{0B}]")?.offset == 1)
  }

  @Test func depthLimit() {
    #expect(parse(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)) != nil)
    #expect(error(String(repeating: "[", count: 10_001) + String(repeating: "]", count: 10_001))?.message == "exceeded max depth")
    #expect(error("[[1]]", ) == nil)
    if case .failure(let failure) = JSONParser.parse(Array("[[1]]".utf8), maxDepth: 1) {
      #expect(failure.message == "exceeded max depth")
    } else {
      Issue.record("depth 2 must fail with maxDepth 1")
    }
  }

  @Test func parsesASubrange() {
    let bytes = Array("CMD [\"a\"] trailing".utf8)
    if case .success(let value) = JSONParser.parse(bytes, in: 4..<9) {
      #expect(value.range == SourceRange(start: 4, end: 9))
      #expect(value[0]?.string == "a")
    } else {
      Issue.record("the subrange is valid JSON")
    }
  }

  @Test func numberOverflow() {
    #expect(parse("1e400")?.numberOverflows == true)
    #expect(parse("1e-400")?.numberOverflows == false)
    #expect(parse("-0")?.number == 0)
  }
}
