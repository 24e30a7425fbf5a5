import Foundation
import Testing
@testable import DockerfileParser

/// Hostile and odd shell code: nesting far beyond any real script (reported with a diagnostic, never a
/// stack overflow), huge flat lists, 50 MB scripts and constructs left open at the end of the input.
/// Every range stays inside the input. Big inputs are generated here, never committed.
@Suite struct HostileShellTests {
  private func parse(_ text: String, dialect: ShellDialect = .bash) -> ShellScript {
    let script = ShellScript.parse(MappedText(bytes: Array(text.utf8), verbatimFrom: 0), dialect: dialect)
    let size = text.utf8.count
    #expect(script.body.range.end <= size)
    #expect(script.diagnostics.allSatisfy { $0.range.end <= size })
    #expect(script.invocations.allSatisfy { $0.range.end <= size })
    _ = script.terminalCommands
    _ = script.waits
    _ = script.traps
    _ = script.dump
    return script
  }

  private func isTooDeep(_ script: ShellScript) -> Bool {
    script.diagnostics.contains { $0.kind == .nestingTooDeep && $0.message.contains("nesting deeper than") }
  }

  private func nested(_ open: String, _ middle: String, _ close: String, _ depth: Int) -> String {
    String(repeating: open, count: depth) + middle + String(repeating: close, count: depth)
  }

  @Test func commandSubstitutionsTenThousandDeep() {
    #expect(isTooDeep(parse(nested("$( ", "echo", " )", 10_000))))
    #expect(isTooDeep(parse("echo \"" + nested("$(echo \"", "x", "\")", 10_000) + "\"")))
    // Within the limit, the nesting is parsed.
    // (Plain values in the expectations: on failure Swift Testing would describe a whole deep tree.)
    let shallow = parse(nested("$( ", "echo", " )", 30))
    let messages = shallow.diagnostics.map(\.message)
    #expect(messages.isEmpty, "\(messages)")
    let invocations = shallow.invocations.count
    #expect(invocations == 31)  // each `$( … )` word is a command, plus `echo`
  }

  @Test func hundredThousandNestedParentheses() {
    // Subshells and groups recurse in the parser: reported beyond the limit.
    #expect(isTooDeep(parse(nested("( ", "echo", " )", 100_000))))
    #expect(isTooDeep(parse(nested("{ ", "echo;", " }", 100_000))))
    #expect(isTooDeep(parse("x=" + nested("${a:-", "b", "}", 100_000))))
    #expect(isTooDeep(parse("cat " + nested("<(", "echo", ")", 100_000))))
    // In bash `((` opens an arithmetic command and `[[ ( … ) ]]` is a flat word list: no recursion at all.
    #expect(!isTooDeep(parse(nested("(", "echo", ")", 100_000), dialect: .bash)))
    #expect(!isTooDeep(parse("echo $((" + nested("(", "1", ")", 100_000) + "))")))
    #expect(!isTooDeep(parse("[[ " + nested("( ", "-n x", " )", 100_000) + " ]]")))
  }

  @Test func deeplyNestedCompoundCommands() {
    #expect(isTooDeep(parse(nested("if true; then ", "echo", "; fi", 10_000))))
    #expect(isTooDeep(parse(nested("while true; do ", "echo", "; done", 10_000))))
    #expect(isTooDeep(parse(nested("for x in a; do ", "echo", "; done", 10_000))))
    #expect(isTooDeep(parse(nested("case x in x) ", "echo", ";; esac", 10_000))))
    #expect(isTooDeep(parse(nested("f() { ", "echo", "; }", 10_000))))
    #expect(isTooDeep(parse(nested("$(sh -c \"", "echo", "\")", 10_000))))
  }

  @Test func nestedSubstitutionsAfterAHeredocStayLinear() {
    // Fuzzer finding (shell target, an out-of-memory: 2.7 GB and 35 s for 3.6 KB): once a script had a
    // here-document, filling the bodies in visited each command word twice (as a word and as the resolved
    // program or argument), so every level of `$( … )` doubled the work: 30 levels were 2^30 visits.
    let heredoc = "cat <<EOL\nbody\nEOL\n"
    // (Only plain values go into #expect: a failing expectation would print the whole tree.)
    let closed = parse(heredoc + "echo " + nested("$(echo ", "x", ")", 30) + "\n")
    let closedErrors = closed.diagnostics.map(\.message)
    #expect(closedErrors == [])
    let closedInvocations = closed.invocations.count
    #expect(closedInvocations == 32)
    let open = parse(heredoc + String(repeating: "m$((kdir\n", count: 45))
    let openFailed = open.hasErrors
    #expect(openFailed)
    // The fuzzer's input itself (Fixtures/fuzz-regressions/shell/).
    let url = TestData.fixtures.appendingPathComponent("fuzz-regressions/shell/heredoc-then-nested-substitutions-exponential")
    let bytes = (try? Data(contentsOf: url)).map { [UInt8]($0) } ?? []
    #expect(bytes.count == 3666)
    let script = ShellScript.parse(file: SourceFile(path: "run.sh", bytes: bytes), defaultDialect: .bash)
    #expect(script.body.range.end <= bytes.count)
    _ = script.terminalCommands
  }

  @Test func hugeFlatListsArePassedWithoutRecursion() {
    // 20,000 (not more: a debug build parses about 15,000 commands a second; bench-scale.sh times 100×).
    let count = 20_000
    let andList = parse(Array(repeating: "true", count: count).joined(separator: " && "))
    #expect(andList.diagnostics.filter { $0.severity == .error }.map(\.message) == [])
    #expect(andList.invocations.count == count)
    let pipeline = parse(Array(repeating: "cat", count: count).joined(separator: " | "))
    #expect(pipeline.diagnostics.filter { $0.severity == .error }.map(\.message) == [])
    #expect(pipeline.invocations.count == count)
    let negations = parse(String(repeating: "! ", count: count) + "true")
    _ = negations
    let words = parse("echo" + String(repeating: " word", count: count))
    #expect(words.invocations.first?.command.words.count == count + 1)
  }

  @Test func tenThousandHeredocsOnOneCommand() {
    var text = "cat"
    for index in 0..<10_000 { text += " <<E\(index)" }
    text += "\n"
    for index in 0..<10_000 { text += "body $x \(index)\nE\(index)\n" }
    let script = parse(text)
    #expect(script.diagnostics.filter { $0.severity == .error }.map(\.message) == [])
    #expect(script.body.items.first?.pipelines.first?.commands.first?.redirections.count == 10_000)
  }

  @Test func fiftyMegabyteScript() {
    // 50 MB: a thousand copies of a real entrypoint, a 2 MB heredoc with expansions, a 28 MB literal one
    // and 20 MB of comments. (50 MB of nothing but commands, and of expanding heredocs, is timed by
    // Scripts/bench-scale.sh: a debug build parses about 2 MB of those a second.)
    let block = """
      set -euo pipefail
      log() { printf '%s %s\\n' "$(date +%s)" "$*" >&2; }
      if [ -n "${DATABASE_URL:-}" ]; then
        for attempt in 1 2 3; do
          pg_isready -d "$DATABASE_URL" && break || sleep "$attempt"
        done
      fi
      case "${1:-serve}" in
        serve) nginx -g 'daemon off;' & pids="$pids $!" ;;
        *) exec "$@" ;;
      esac
      trap 'kill -TERM $pids 2>/dev/null' TERM INT

      """
    let line = Array("0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 $HOME ${PATH}\n".utf8)
    var bytes = Array("#!/bin/bash\n".utf8)
    bytes.reserveCapacity(50 << 20 + 4096)
    for _ in 0..<1_000 { bytes += Array(block.utf8) }
    bytes += Array("cat <<EOF > /etc/app.conf\n".utf8)
    for _ in 0..<(2 << 20) / line.count { bytes += line }
    bytes += Array("EOF\ncat <<'EOF' > /srv/data\n".utf8)
    for _ in 0..<(28 << 20) / line.count { bytes += line }
    bytes += Array("EOF\n".utf8)
    for _ in 0..<(20 << 20) / line.count { bytes += Array("# ".utf8) + line }
    bytes += Array("wait -n\n".utf8)
    #expect(bytes.count >= 50 << 20)
    let script = ShellScript.parse(file: SourceFile(path: "entrypoint.sh", bytes: bytes))
    #expect(script.dialect == .bash)
    #expect(script.diagnostics.filter { $0.severity == .error }.map(\.message) == [])
    #expect(script.functions.count == 1_000)
    #expect(script.waits.last?.waitsForAny == true)
    #expect(script.body.range.end <= bytes.count)
  }

  @Test func constructsLeftOpenAtEndOfInput() {
    let cases = [
      "echo 'open", "echo \"open", "echo $(open", "echo ${open", "echo `open", "cat <<EOF\nbody", "cat <<'EOF'",
      "case x in", "case x in a) echo", "if true; then", "while :; do", "for x in a b", "{ echo", "( echo",
      "echo $((1 +", "[[ -n x", "f() {", "echo \\", "echo $'open", "echo $\"open", "a &&", "a |", "coproc",
      "x=(a b", "echo <(cat", "echo \"$(echo 'x", "trap 'echo", "exec 3<", "time", "!",
    ]
    for text in cases {
      for dialect in [ShellDialect.posix, .bash] {
        let script = parse(text, dialect: dialect)
        #expect(script.hasErrors || !script.diagnostics.isEmpty || text == "time" || text == "!" || text == "echo \\",
          "\(text) should be reported as incomplete")
      }
    }
  }

  @Test func binaryAndInvalidUTF8Scripts() {
    var state: UInt64 = 5
    var bytes: [UInt8] = []
    for _ in 0..<200_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      bytes.append(UInt8(truncatingIfNeeded: state >> 56))
    }
    for dialect in [ShellDialect.posix, .bash] {
      let script = ShellScript.parse(MappedText(bytes: bytes, verbatimFrom: 0), dialect: dialect)
      #expect(script.body.range.end <= bytes.count)
    }
    // Invalid UTF-8 in words and heredocs is kept, not an error.
    let invalid = Array("echo ".utf8) + [0xFF, 0xC3, 0xE2, 0x82] + Array(" && exec app\n".utf8)
    let script = ShellScript.parse(MappedText(bytes: invalid, verbatimFrom: 0))
    #expect(script.diagnostics.filter { $0.severity == .error }.map(\.message) == [])
    #expect(script.terminalCommands.last?.command.name == "app" || script.terminalCommands.last?.command.name == "exec")
  }
}
