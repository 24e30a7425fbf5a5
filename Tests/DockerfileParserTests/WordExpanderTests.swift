import Testing
@testable import DockerfileParser

@Suite struct WordExpanderTests {
  let env = ["HOME": "/root", "EMPTY": "", "NAME": "web server", "FILE": "archive.tar.gz", "PATHS": "a/b/a/b"]

  func expand(_ word: String, _ expander: WordExpander = WordExpander()) -> String {
    let result = expander.expand(word) { env[$0] }
    return result.error.map { "error: \($0)" } ?? result.text
  }

  @Test func variablesAndBraces() {
    #expect(expand("$HOME/bin") == "/root/bin")
    #expect(expand("${HOME}x") == "/rootx")
    #expect(expand("$UNSET-x") == "-x")
    #expect(expand("a$") == "a$")
    #expect(expand("$1x") == "x")
    #expect(expand("${}") .hasPrefix("error: failed to process \"${}\": syntax error: bad substitution"))
    #expect(expand("${") == "error: failed to process \"${\": syntax error: missing '}'")
    // BuildKit reads the end of the input as the modifier character (U+FFFD).
    #expect(expand("${HOME") == "error: failed to process \"${HOME\": unsupported modifier (\u{FFFD}) in substitution")
    #expect(expand("${HOME:-x") == "error: failed to process \"${HOME:-x\": syntax error: missing '}'")
  }

  @Test func defaultsAndAlternatives() {
    #expect(expand("${UNSET:-d}") == "d")
    #expect(expand("${EMPTY:-d}") == "d")
    #expect(expand("${EMPTY-d}") == "")
    #expect(expand("${HOME:+alt}") == "alt")
    #expect(expand("${EMPTY+alt}") == "alt")
    #expect(expand("${EMPTY:+alt}") == "")
    #expect(expand("${UNSET:-${HOME:-x}}") == "/root")
    #expect(expand("${HOME?}") == "/root")
    #expect(expand("${UNSET?is required}") == "error: failed to process \"${UNSET?is required}\": UNSET: is required")
    #expect(expand("${EMPTY:?}").hasSuffix("EMPTY: is not allowed to be empty"))
    #expect(expand("${HOME:=x}").hasSuffix("unsupported modifier (:=) in substitution"))
  }

  @Test func patternRemovalAndReplacement() {
    #expect(expand("${FILE%.*}") == "archive.tar")
    #expect(expand("${FILE%%.*}") == "archive")
    #expect(expand("${FILE#*.}") == "tar.gz")
    #expect(expand("${FILE##*.}") == "gz")
    #expect(expand("${PATHS/a/x}") == "x/b/a/b")
    #expect(expand("${PATHS//a/x}") == "x/b/x/b")
    #expect(expand("${PATHS//?/-}") == "-------")
    #expect(expand("${FILE#a\\x}").hasSuffix("invalid escape '\\x'"))
  }

  @Test func quotesAndEscapes() {
    #expect(expand("'$HOME'") == "$HOME")
    #expect(expand("\"$HOME\"") == "/root")
    #expect(expand("he\\$HOME") == "he$HOME")
    #expect(expand("\"a\\\"b\"") == "a\"b")
    #expect(expand("\"a\\tb\"") == "a\\tb")
    #expect(expand("a\\tb") == "atb")
    #expect(expand("'unterminated").hasSuffix("unexpected end of statement while looking for matching single-quote"))
    var backtick = WordExpander(escapeByte: UInt8(ascii: "`"))
    #expect(expand("a`$HOME\\x", backtick) == "a$HOME\\x")
    backtick.keepsQuotes = true
    #expect(expand("'q'", backtick) == "'q'")
  }

  @Test func unsetVariablesCanBeKept() {
    var expander = WordExpander()
    expander.keepsUnsetVariables = true
    #expect(expand("$HOME $UNSET ${UNSET:-x} ${U/a/b}", expander) == "/root $UNSET ${UNSET:-x} ${U/a/b}")
  }

  @Test func reportsResolvedAndUnresolvedVariables() {
    let result = WordExpander().expand("$HOME $A ${B:-$HOME} $A") { env[$0] }
    #expect(result.resolvedVariables == ["HOME"])
    #expect(result.unresolvedVariables == ["A", "B"])
  }

  @Test func splittingKeepsQuotedWhiteSpace() {
    let result = WordExpander().split(Array("a \"b c\" $NAME d\\ e".utf8)) { env[$0] }
    #expect(result.wordTexts == ["a", "b c", "web", "server", "d e"])
    #expect(result.wordRanges[1] == 2..<7)
    #expect(result.wordRanges[2] == 8..<13)
  }

  @Test func nestingIsBounded() {
    let deep = String(repeating: "${A:-", count: 500) + "x" + String(repeating: "}", count: 500)
    #expect(expand(deep).hasSuffix("substitution nested too deeply"))
    let fine = String(repeating: "${A:-", count: 50) + "x" + String(repeating: "}", count: 50)
    #expect(expand(fine) == "x")
  }

  @Test func invalidUTF8BecomesReplacementCharacters() {
    let result = WordExpander().expand([0x61, 0xFF, 0x62]) { _ in nil }
    #expect(result.result == [0x61, 0xEF, 0xBF, 0xBD, 0x62])
  }
}
