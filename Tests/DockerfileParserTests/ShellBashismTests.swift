import Foundation
import Testing

@testable import DockerfileParser

/// Bash-only constructs, checked against dash (Debian's `/bin/sh`).
@Suite struct ShellBashismTests {
  static let samples: [(ShellBashism.Kind, String)] = [
    (.doubleBracketTest, "[[ -f x ]] && echo"),
    (.arithmeticCommand, "(( x++ ))"),
    (.arithmeticForLoop, "for ((i=0; i<3; i++)); do :; done"),
    (.functionKeyword, "function f { :; }"),
    (.arrayAssignment, "a=(1 2)"),
    (.arraySubscript, "echo ${a[0]}"),
    (.ansiCQuote, "echo $'a\\tb'"),
    (.localeQuote, "echo $\"hi\""),
    (.hereString, "cat <<< x"),
    (.outputAndErrorRedirection, "app &> log"),
    (.duplicateToFileRedirection, "app >& log"),
    (.fileDescriptorVariable, "exec {fd}>/dev/null"),
    (.pipeStandardError, "a |& b"),
    (.processSubstitution, "diff <(a) <(b)"),
    (.caseFallThrough, "case x in a) ;& b) ;; esac"),
    (.selectLoop, "select x in a b; do :; done"),
    (.coprocess, "coproc cat"),
    (.timeKeyword, "time sleep 1"),
    (.braceExpansion, "echo {a,b}"),
    (.bashParameterOperation, "echo ${x/a/b}"),
    (.legacyArithmetic, "echo $[1+2]"),
    (.extendedGlob, "[[ x == @(a|b) ]]"),
    (.waitOption, "sleep 1 & wait -n"),
    (.bashBuiltin, "source /etc/profile"),
    (.execOption, "exec -a name app"),
    (.trapPseudoSignal, "trap 'echo' ERR"),
    (.testDoubleEquals, "[ a == b ]"),
    (.setOption, "set -o pipefail"),
    (.bashVariable, "echo $RANDOM"),
    (.echoOption, "echo -e 'a\\n'"),
  ]

  @Test func everyKindHasASample() {
    #expect(Set(Self.samples.map(\.0)) == Set(ShellBashism.Kind.allCases))
  }

  @Test func samplesAreDetected() {
    for (kind, code) in Self.samples {
      let script = ShellScript.parse(code, dialect: .bash)
      #expect(script.diagnostics.isEmpty, "\(code)")
      #expect(script.bashisms.contains { $0.kind == kind }, "\(kind) in \(code): \(script.bashisms.map(\.kind))")
    }
  }

  @Test func portableCodeHasNoBashisms() {
    let code = """
      set -eu
      trap 'kill "$pid"' TERM INT EXIT
      app & pid=$!
      local x=1
      export A="${B:-c}" D=${E#f}
      [ "$a" = b ] && test -n "$c"
      case $1 in -*) shift ;; esac
      f() { echo "$@"; }
      while :; do wait "$pid" && break; done
      echo "$((1 + 2))" $(id -u) `date`
      cat <<EOF >/tmp/x
      ${HOME}
      EOF
      exec "$@"
      """
    let script = ShellScript.parse(code)
    #expect(script.diagnostics.isEmpty)
    #expect(script.bashisms.map(\.kind) == [])
    #expect(!script.requiresBash)
  }

  @Test func bashismRangesAndQueries() {
    let code = "a & b & wait -n\n[[ -f x ]]"
    let script = ShellScript.parse(code)
    let wait = script.bashisms(.waitOption)
    #expect(wait.count == 1)
    #expect(ShellTestSupport.text(code, wait[0].range) == "wait -n")
    #expect(wait[0].text == "wait -n")
    #expect(script.bashisms(in: script.waits[0].invocation.range).map(\.kind) == [.waitOption])
    #expect(script.dashSyntaxErrors.isEmpty)
  }

  @Test func dashSyntaxErrorFlagMatchesDash() {
    guard ShellTestSupport.isInstalled("dash") else {
      print("skipping: dash is not installed")
      return
    }
    let paths = ShellTestSupport.writeSnippets(Self.samples.map(\.1), name: "bashisms")
    let verdicts = ShellTestSupport.syntaxCheck("dash", paths)
    for ((kind, code), path) in zip(Self.samples, paths) {
      #expect(verdicts[path] == !kind.isSyntaxErrorInDash, "dash -n on \(code) (\(kind))")
    }
  }
}
