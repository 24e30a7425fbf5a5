import Foundation
import Testing

@testable import DockerfileParser

/// Bad input: diagnostics agree with `bash -n`, point at the right place, and nothing crashes or hangs.
@Suite struct ShellDiagnosticsTests {
  @Test func invalidSnippetsAgreeWithBash() throws {
    let snippets = ShellTestSupport.snippets("invalid-snippets.txt")
    #expect(snippets.count >= 40)
    try agree(snippets, valid: false, name: "invalid")
  }

  @Test func trickyValidSnippetsAgreeWithBash() throws {
    let snippets = ShellTestSupport.snippets("valid-snippets.txt")
    #expect(snippets.count >= 40)
    try agree(snippets, valid: true, name: "valid")
  }

  func agree(_ snippets: [String], valid: Bool, name: String) throws {
    for snippet in snippets {
      let script = ShellScript.parse(snippet, dialect: .bash)
      #expect(script.hasErrors != valid, "parser on \(snippet.debugDescription): \(script.diagnostics)")
    }
    guard ShellTestSupport.isInstalled("bash") else {
      print("skipping the bash -n comparison: bash is not installed")
      return
    }
    let paths = ShellTestSupport.writeSnippets(snippets, name: name)
    let verdicts = ShellTestSupport.syntaxCheck("bash", paths)
    for (path, snippet) in zip(paths, snippets) {
      let accepted = try #require(verdicts[path] as Bool?)
      #expect(accepted == valid, "bash -n on \(snippet.debugDescription)")
    }
    try? FileManager.default.removeItem(atPath: (paths[0] as NSString).deletingLastPathComponent)
  }

  struct Located: CustomTestStringConvertible, Sendable {
    let code: String
    let line: Int
    let column: Int
    let message: String
    var testDescription: String { code.debugDescription }
  }

  static let located: [Located] = [
    Located(code: "echo \"abc", line: 1, column: 6, message: "unexpected end of file: unterminated double quote"),
    Located(code: "a\nb 'x\n", line: 2, column: 3, message: "unexpected end of file: unterminated single quote"),
    Located(
      code: "if true; then\n  echo\n", line: 1, column: 1,
      message: "unexpected end of file: `if` is not closed (expected `fi`)"),
    Located(code: "if true; then fi", line: 1, column: 15, message: "unexpected `fi`"),
    Located(code: "echo a )", line: 1, column: 8, message: "unexpected `)`"),
    Located(code: "x\n  done\n", line: 2, column: 3, message: "unexpected `done`"),
    Located(
      code: "echo $(date", line: 1, column: 6, message: "unexpected end of file: `$(` is not closed (expected `)`)"),
    Located(code: "echo ${x", line: 1, column: 6, message: "unexpected end of file: `${` is not closed (expected `}`)"),
    Located(code: "echo a >\n", line: 1, column: 9, message: "unexpected newline"),
    Located(code: "echo a; ; b", line: 1, column: 9, message: "unexpected `;`"),
    Located(code: "case x in a b) ;; esac", line: 1, column: 13, message: "unexpected `b`"),
    Located(code: "f() echo hi", line: 1, column: 5, message: "unexpected `echo`"),
    Located(code: "é; é ;; x", line: 1, column: 6, message: "unexpected `;;`"),
    Located(
      code: "while :; do\n  x\n", line: 1, column: 1,
      message: "unexpected end of file: `while` is not closed (expected `done`)"),
    Located(code: "a &&", line: 1, column: 5, message: "unexpected end of file"),
  ]

  @Test(arguments: located) func errorLocation(_ example: Located) throws {
    let file = SourceFile(path: "script.sh", text: example.code)
    let script = ShellScript.parse(file: file)
    let error = try #require(script.firstError)
    #expect(error.location(in: file).line == example.line)
    #expect(error.location(in: file).column == example.column)
    #expect(error.message == example.message)
  }

  @Test func partialTreeBeforeTheError() {
    let script = ShellScript.parse("echo one\necho two\nif true; then\n  echo three\n")
    let hasErrors = script.hasErrors
    #expect(hasErrors)
    #expect(script.invocations.prefix(2).map(\.name) == ["echo", "echo"])
    #expect(script.invocations.contains { $0.argumentValues == ["three"] })
  }

  @Test func errorInsideADockerfileInstructionMapsToTheDockerfile() throws {
    // `RUN echo "a \` newline `b` — the logical text continues on the next line
    let dockerfile = "FROM x\nRUN echo ok && \\\n  echo \"oops\n"
    var text = MappedText()
    text.appendVerbatim(Array("echo ok && ".utf8), originalStart: 11)
    text.appendVerbatim(Array("  echo \"oops".utf8), originalStart: 24)
    let script = ShellScript.parse(text)
    let error = try #require(script.firstError)
    let file = SourceFile(path: "Dockerfile", text: dockerfile)
    #expect(error.location(in: file) == DockerfileParser.SourceLocation(line: 3, column: 8, byteColumn: 8))
  }

  // MARK: - Never crashes, never hangs

  @Test func deepCommandSubstitutionIsRejectedNotOverflowing() {
    let depth = 10_000
    let code = "echo " + String(repeating: "$( echo ", count: depth) + "x" + String(repeating: " )", count: depth)
    let kind = ShellScript.parse(code).firstError?.kind
    #expect(kind == .nestingTooDeep)
  }

  @Test func deepParenthesesAreRejectedNotOverflowing() {
    let depth = 100_000
    let unbalanced = ShellScript.parse(String(repeating: "(", count: depth)).hasErrors
    #expect(unbalanced)
    let balanced = ShellScript.parse(
      String(repeating: "( ", count: depth) + "echo" + String(repeating: " )", count: depth))
    #expect(balanced.firstError?.kind == .nestingTooDeep)
    // `((((…))))` is one arithmetic command to bash
    let arithmetic = ShellScript.parse(
      String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth))
    #expect(arithmetic.diagnostics.isEmpty)
  }

  @Test func otherDeepNestingIsRejected() {
    let depth = 10_000
    let cases = [
      String(repeating: "${x:-", count: depth) + String(repeating: "}", count: depth),
      String(repeating: "if true; then ", count: depth) + ":" + String(repeating: "; fi", count: depth),
      "echo " + String(repeating: "\"$(echo ", count: depth) + String(repeating: ")\"", count: depth),
      String(repeating: "{ ", count: depth) + ":" + String(repeating: "; }", count: depth),
      String(repeating: "$((", count: depth),
      String(repeating: "a=(", count: depth),
      String(repeating: "f() ", count: depth) + "{ :; }",
      String(repeating: "case x in a) ", count: depth),
      String(repeating: "while ", count: depth),
    ]
    for code in cases {
      let hasErrors = ShellScript.parse(code).hasErrors
      #expect(hasErrors, "\(code.prefix(20))")
    }
    // `[[ ( ( … ) ) ]]`: the words are flat, the grammar check is depth-limited too
    let conditional =
      "[[ " + String(repeating: "( ", count: depth) + "a" + String(repeating: " )", count: depth) + " ]]"
    let conditionalError = ShellScript.parse(conditional).hasErrors
    #expect(conditionalError)
    let shallow = "[[ " + String(repeating: "( ", count: 20) + "a" + String(repeating: " )", count: 20) + " ]]"
    let shallowError = ShellScript.parse(shallow).hasErrors
    #expect(!shallowError)
  }

  @Test func deepButAllowedNestingParses() {
    // real scripts (the corpus and every script on this machine) need less than 30 levels
    let depth = 30
    let code = "echo " + String(repeating: "$(echo ", count: depth) + "x" + String(repeating: ")", count: depth)
    let script = ShellScript.parse(code)
    #expect(script.diagnostics.isEmpty)
    #expect(script.invocations.count == depth + 1)
  }

  @Test func garbageNeverCrashes() {
    var generator = SplitMix(seed: 42)
    let alphabet = Array("ab ;&|<>()${}[]'\"`\\#=~*?!\n\t0123-:%/^,@+".utf8)
    for _ in 0..<3_000 {
      let length = Int(generator.next() % 80)
      let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
      let script = ShellScript.parse(MappedText(bytes: bytes, verbatimFrom: 0), dialect: .bash)
      _ = script.terminalCommands
      _ = script.traps
      _ = script.waits
      _ = script.dump
      for diagnostic in script.diagnostics {
        #expect(diagnostic.range.end <= bytes.count)
      }
    }
  }

  @Test func truncationsOfRealScriptsNeverCrash() throws {
    let url = ShellTestSupport.corpusRoot.appendingPathComponent("official/postgres__17__bookworm/docker-entrypoint.sh")
    guard let bytes = ShellTestSupport.readFile(url) else {
      print("skipping: \(url.path) is absent")
      return
    }
    var cut = 0
    while cut < bytes.count {
      let script = ShellScript.parse(MappedText(bytes: Array(bytes[0..<cut]), verbatimFrom: 0), dialect: .bash)
      _ = script.terminalCommands
      cut += 97
    }
  }
}

/// A small deterministic random generator for the garbage test.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
