import Testing

@testable import DockerfileParser

/// `terminalCommands(given:)`: the branches the script's known arguments decide, and the arguments each
/// terminal command sees (a function's call words).
@Suite struct ShellKnownArgumentsTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let code: String
    /// The script's arguments; nil: not even their number is known.
    let arguments: [String?]?
    /// The terminal commands that can run last, as written.
    let terminals: [String]
    var testDescription: String { "\(arguments.map { "\($0)" } ?? "unknown"): \(code)" }
  }

  static let noCmdElse = "if [ $# -gt 0 ]; then\n  exec \"$@\"\nelse\n  exec supervisord -n\nfi\n"
  static let redis = "if [ \"$1\" = 'redis-server' ]; then\n  exec gosu redis \"$@\"\nfi\nexec \"$@\"\n"
  static let roles = "case \"$1\" in\n  web) exec nginx ;;\n  worker) exec php-fpm -F ;;\n  *) exec \"$@\" ;;\nesac\n"
  static let setArguments =
    "if [ \"${1#-}\" != \"$1\" ]; then\n  set -- redis-server \"$@\"\nfi\nif [ \"$1\" = redis-server ]; then\n  exec gosu redis \"$@\"\nfi\nexec \"$@\"\n"
  static let shiftLoop = "while [ $# -gt 0 ]; do\n  case \"$1\" in\n    --debug) shift ;;\n    *) exec \"$@\" ;;\n  esac\ndone\nexec app\n"

  static let cases: [Case] = [
    // No CMD: `$#` is 0, the else branch runs.
    Case(code: noCmdElse, arguments: [], terminals: ["exec supervisord -n"]),
    Case(code: noCmdElse, arguments: ["bash"], terminals: ["exec \"$@\""]),
    Case(code: noCmdElse, arguments: nil, terminals: ["exec \"$@\"", "exec supervisord -n"]),
    // A known CMD decides `[ "$1" = … ]`.
    Case(code: redis, arguments: ["redis-server"], terminals: ["exec gosu redis \"$@\""]),
    Case(code: redis, arguments: ["sh"], terminals: ["exec \"$@\""]),
    Case(code: redis, arguments: nil, terminals: ["exec gosu redis \"$@\"", "exec \"$@\""]),
    // An unknown word of the CMD decides nothing.
    Case(code: redis, arguments: [nil], terminals: ["exec gosu redis \"$@\"", "exec \"$@\""]),
    // `case "$1" in`: one item, or the default.
    Case(code: roles, arguments: ["worker"], terminals: ["exec php-fpm -F"]),
    Case(code: roles, arguments: ["celery", "-A", "x"], terminals: ["exec \"$@\""]),
    // `set -- redis-server "$@"` changes what `$1` is for the later test.
    Case(code: setArguments, arguments: ["--port", "7000"], terminals: ["exec gosu redis \"$@\""]),
    Case(code: setArguments, arguments: ["sh"], terminals: ["exec \"$@\""]),
    // A loop that shifts sees other arguments on later iterations: nothing in it is decided.
    Case(code: shiftLoop, arguments: ["--debug", "app2"], terminals: ["exec \"$@\"", "exec app"]),
    // `[ -z "$1" ]`, `[ -n "$1" ]`, `test`, `!`.
    Case(code: "if [ -z \"$1\" ]; then exec a; fi\nexec b\n", arguments: [], terminals: ["exec a"]),
    Case(code: "if test -n \"$1\"; then exec a; fi\nexec b\n", arguments: [], terminals: ["exec b"]),
    Case(code: "if ! [ \"$1\" = x ]; then exec a; fi\nexec b\n", arguments: ["x"], terminals: ["exec b"]),
    // `[[ $1 == -* ]]`: a pattern.
    Case(code: "if [[ $1 == -* ]]; then exec app \"$@\"; fi\nexec \"$@\"\n", arguments: ["-v"], terminals: ["exec app \"$@\""]),
    // An unquoted `$1` in `[` may split or vanish: undecided. So are `-a` and command conditions.
    Case(code: "if [ $1 = x ]; then exec a; fi\nexec b\n", arguments: ["x"], terminals: ["exec a", "exec b"]),
    Case(code: "if [ \"$1\" = x -a -f /f ]; then exec a; fi\nexec b\n", arguments: ["x"], terminals: ["exec a", "exec b"]),
    Case(code: "if grep -q x /f; then exec a; fi\nexec b\n", arguments: ["x"], terminals: ["exec a", "exec b"]),
  ]

  func texts(_ code: String, _ arguments: [String?]?) -> [String] {
    let script = ShellScript.parse(code, dialect: .bash)
    let known = arguments.map { ShellKnownArguments.script($0) } ?? .unknown
    return script.terminalCommands(given: known).map { ShellTestSupport.text(code, $0.invocation.range) }
  }

  @Test(arguments: cases) func decidedBranches(_ example: Case) {
    let script = ShellScript.parse(example.code, dialect: .bash)
    #expect(script.diagnostics.isEmpty, "\(script.diagnostics)")
    #expect(texts(example.code, example.arguments) == example.terminals)
  }

  @Test func unknownArgumentsGiveTheSameTerminalsAsParseTime() {
    for example in Self.cases {
      let script = ShellScript.parse(example.code, dialect: .bash)
      let atParseTime = script.terminalCommands.map { ShellTestSupport.text(example.code, $0.range) }
      #expect(texts(example.code, nil) == atParseTime, "\(example.code)")
    }
  }

  @Test func aFunctionsTerminalSeesItsCallWords() throws {
    let code = "run() {\n  echo \"starting $1\"\n  exec \"$@\"\n}\nrun nginx -g 'daemon off;'\n"
    let script = ShellScript.parse(code)
    let terminals = script.terminalCommands(given: .script([]))
    try #require(terminals.count == 1)
    #expect(ShellTestSupport.text(code, terminals[0].invocation.range) == "exec \"$@\"")
    let values = try #require(terminals[0].arguments.values)
    #expect(values.map(\.text) == ["nginx", "-g", "daemon off;"])
    // The call's literal words point at where the script writes them.
    #expect(values.compactMap(\.range).map { ShellTestSupport.text(code, $0) } == ["nginx", "-g", "'daemon off;'"])
    #expect(values.allSatisfy { $0.origin == nil })
  }

  @Test func aFunctionPassingTheScriptsArgumentsKeepsTheirOrigin() throws {
    let code = "main() {\n  exec gosu app \"$@\"\n}\nmain \"$@\"\n"
    let terminals = ShellScript.parse(code).terminalCommands(given: .script(["redis-server", nil]))
    try #require(terminals.count == 1)
    let values = try #require(terminals[0].arguments.values)
    #expect(values.map(\.origin) == [0, 1])
    #expect(values.map(\.text) == ["redis-server", nil])
  }

  @Test func aFunctionCalledWithDifferentWordsHasUnknownArguments() throws {
    let code = "run() { exec \"$@\"; }\nif [ -f /x ]; then run a; else run b; fi\n"
    let terminals = ShellScript.parse(code).terminalCommands(given: .script([]))
    try #require(terminals.count == 1)
    #expect(terminals[0].arguments.values == nil)
  }

  @Test func setAndShiftChangeTheParameters() {
    func changed(_ code: String, _ arguments: [String?]) -> [String?]? {
      let script = ShellScript.parse(code)
      return ShellKnownArguments.script(arguments).changed(by: script.invocations[0].command)?.values?.map(\.text)
    }
    #expect(changed("set -- a \"$@\"", ["x", "y"]) == ["a", "x", "y"])
    #expect(changed("set -- ", ["x"]) == [])
    #expect(changed("set a b", ["x"]) == ["a", "b"])
    #expect(changed("set -e -- a", ["x"]) == ["a"])
    #expect(changed("set -e", ["x"]) == nil)
    #expect(changed("set -o pipefail", ["x"]) == nil)
    #expect(changed("shift", ["x", "y"]) == ["y"])
    #expect(changed("shift 2", ["x", "y", "z"]) == ["z"])
    // `shift 3` with two parameters fails and changes nothing.
    #expect(changed("shift 3", ["x", "y"]) == ["x", "y"])
    // `set -- $X`: any number of words.
    #expect(ShellKnownArguments.script(["x"]).changed(by: ShellScript.parse("set -- $X").invocations[0].command)?.values == nil)
  }
}
