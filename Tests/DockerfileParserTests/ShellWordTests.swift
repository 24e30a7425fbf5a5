import Testing

@testable import DockerfileParser

/// Words, quoting and expansions.
@Suite struct ShellWordTests {
  /// The second word of `echo WORD`.
  func word(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ShellWord {
    let script = ShellScript.parse("echo " + text, dialect: .bash)
    #expect(script.diagnostics.isEmpty, "\(script.diagnostics)", sourceLocation: sourceLocation)
    return script.body.items.first?.pipelines.first?.commands.first?.simple?.words.dropFirst().first
      ?? ShellWord(parts: [], range: .empty(at: 0), raw: "")
  }

  struct Case: CustomTestStringConvertible, Sendable {
    let word: String
    let parts: String
    let value: String?
    init(_ word: String, _ parts: String, _ value: String?) {
      self.word = word
      self.parts = parts
      self.value = value
    }
    var testDescription: String { word }
  }

  static let cases: [Case] = [
    Case("plain", "lit(plain)", "plain"),
    Case("'single $x'", "sq(single $x)", "single $x"),
    Case("\"double\"", "dq(lit(double))", "double"),
    Case("\"a $x b\"", "dq(lit(a ) $x lit( b))", nil),
    Case("a\\ b", "lit(a) esc( ) lit(b)", "a b"),
    Case("\\$x", "esc($) lit(x)", "$x"),
    Case("\"\\$x \\\" \\a\"", "dq(esc($) lit(x ) esc(\") lit( \\a))", "$x \" \\a"),
    Case("$'a\\tb\\x41\\u00e9\\n'", "ansi(a\tbAé\\n)", "a\tbAé\n"),
    Case("$\"locale $x\"", "locale(lit(locale ) $x)", nil),
    Case("a'b'\"c\"", "lit(a) sq(b) dq(lit(c))", "abc"),
    Case("$x", "$x", nil),
    Case("${x}", "${x}", nil),
    Case("$1$#$?$$$!$@$*$-$0", "$1 $# $? $$ $! $@ $* $- $0", nil),
    Case("\"$@\"", "dq($@)", nil),
    Case("\"${@}\"", "dq(${@})", nil),
    Case("${x:-default}", "${x:-<lit(default)>}", nil),
    Case(
      "${x-d}${x:=d}${x=d}${x:?msg}${x?}${x:+alt}${x+alt}",
      "${x-<lit(d)>} ${x:=<lit(d)>} ${x=<lit(d)>} ${x:?<lit(msg)>} ${x?<>} ${x:+<lit(alt)>} ${x+<lit(alt)>}", nil),
    Case("${x#p}${x##p}${x%s}${x%%s}", "${x#<lit(p)>} ${x##<lit(p)>} ${x%<lit(s)>} ${x%%<lit(s)>}", nil),
    Case(
      "${x/a/b}${x//a}${x/#a/b}${x/%a/b}",
      "${x/<lit(a)><lit(b)>} ${x//<lit(a)>} ${x/#<lit(a)><lit(b)>} ${x/%<lit(a)><lit(b)>}", nil),
    Case("${x^}${x^^}${x,}${x,,}${x@Q}", "${x^<>} ${x^^<>} ${x,<>} ${x,,<>} ${x@<lit(Q)>}", nil),
    Case("${x:1:2}${x: -1}", "${x:<lit(1)><lit(2)>} ${x:<lit( -1)>}", nil),
    Case("${#x}${#}${#a[@]}", "${#x} ${#} ${#a[@]}", nil),
    Case("${!x}${!a[@]}${!pre*}", "${!x} ${!a[@]} ${!pre*}", nil),
    Case("${a[0]}${a[@]:1:2}", "${a[0]} ${a[@]:<lit(1)><lit(2)>}", nil),
    Case("${x:-\"a b\"}", "${x:-<dq(lit(a b))>}", nil),
    Case("${x:-${y:-z}}", "${x:-<${y:-<lit(z)>}>}", nil),
    Case("${x:-a b;c}", "${x:-<lit(a b;c)>}", nil),
    Case("${x#\"}\"}", "${x#<dq(lit(}))>}", nil),
    Case("${x:-{a}}", "${x:-<lit({a)>} lit(})", nil),
    Case("$(id -u)", "$(list (cmd id -u))", nil),
    Case("`id -u`", "`(list (cmd id -u))", nil),
    Case("$((1 + $x))", "$((lit(1 + ) $x))", nil),
    Case("$[1+2]", "$((lit(1+2)))", nil),
    Case("<(ls)", "<(list (cmd ls))", nil),
    Case("~", "tilde(~)", nil),
    Case("~/bin", "tilde(~) lit(/bin)", nil),
    Case("~root/x", "tilde(~root) lit(/x)", nil),
    Case("a~b", "lit(a~b)", "a~b"),
    Case("'~'", "sq(~)", "~"),
    Case("*.conf", "lit(*.conf)", "*.conf"),
    Case("{a,b}", "lit({a,b})", "{a,b}"),
    Case("$", "lit($)", "$"),
    Case("a$", "lit(a) lit($)", "a$"),
    Case("\"$\"", "dq(lit($))", "$"),
  ]

  @Test(arguments: cases) func parts(_ example: Case) {
    let parsed = word(example.word)
    #expect(parsed.dump == example.parts)
    #expect(parsed.literalValue == example.value)
    #expect(parsed.raw == example.word)
  }

  @Test func assignmentTildeAfterColon() {
    let script = ShellScript.parse("PATH=~/bin:~root/x:$PATH")
    let value = script.invocations[0].assignments[0].value!
    #expect(value.dump == "tilde(~) lit(/bin:) tilde(~root) lit(/x:) $PATH")
  }

  @Test func quotingAndShapeHelpers() {
    #expect(word("\"$@\"").isAllArguments)
    #expect(word("$@").isAllArguments)
    #expect(word("\"${@}\"").isAllArguments)
    #expect(word("$*").isAllArguments)
    #expect(word("\"${@:2}\"").isAllArguments)
    #expect(!word("\"$@x\"").isAllArguments)
    #expect(!word("${#@}").isAllArguments)
    #expect(word("$!").isLastBackgroundPID)
    #expect(word("\"${!}\"").isLastBackgroundPID)
    #expect(word("\"$pid\"").variableName == "pid")
    #expect(word("${pids[@]}").variableName == "pids")
    #expect(word("x$pid").variableName == nil)
    #expect(word("'a'").isQuoted)
    #expect(!word("a").isQuoted)
    #expect(word("*.c").hasGlob)
    #expect(word("[ab]x").hasGlob)
    #expect(!word("'*.c'").hasGlob)
    #expect(!word("[").hasGlob)
    #expect(word("{a,b}").hasBraceExpansion)
    #expect(word("x{1..3}").hasBraceExpansion)
    #expect(!word("{a}").hasBraceExpansion)
    #expect(!word("'{a,b}'").hasBraceExpansion)
    #expect(word("~/x").hasTilde)
    #expect(word("a$x").hasExpansion)
  }

  @Test func parameterDetails() {
    let parameter = word("${HOME:-/root}").parameterExpansions[0]
    #expect(parameter.name == "HOME")
    #expect(parameter.isBraced)
    #expect(parameter.operation == .useDefault)
    #expect(parameter.arguments.map(\.raw) == ["/root"])
    #expect(parameter.raw == "${HOME:-/root}")
    let nested = word("\"${a:-$(b)} $c\"")
    #expect(nested.parameterExpansions.map(\.name) == ["a", "c"])
    #expect(nested.commandSubstitutions.count == 1)
    #expect(word("${1}").parameterExpansions[0].isPositional)
    #expect(word("$?").parameterExpansions[0].isSpecial)
  }

  @Test func unicodeAndInvalidBytesAreKept() {
    let script = ShellScript.parse("echo 'héllo' wörld \\é")
    #expect(script.diagnostics.isEmpty)
    #expect(script.invocations[0].argumentValues == ["héllo", "wörld", "é"])
    let invalid = ShellScript.parse(
      MappedText(bytes: Array("echo ".utf8) + [0xFF, 0xFE] + Array(" x".utf8), verbatimFrom: 0))
    #expect(invalid.diagnostics.isEmpty)
    #expect(invalid.invocations[0].arguments.count == 2)
  }
}
