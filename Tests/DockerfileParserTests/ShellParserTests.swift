import Testing

@testable import DockerfileParser

/// One construct per case: the code and its S-expression (`ShellScript.dump` without the outer list).
@Suite struct ShellParserTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let code: String
    let tree: String
    init(_ code: String, _ tree: String) {
      self.code = code
      self.tree = tree
    }
    var testDescription: String { code }
  }

  static let lists: [Case] = [
    Case("echo a", "(cmd echo a)"),
    Case("a; b", "(cmd a) (cmd b)"),
    Case("a\nb\n", "(cmd a) (cmd b)"),
    Case("a & b", "(bg (cmd a)) (cmd b)"),
    Case("a & b & wait -n", "(bg (cmd a)) (bg (cmd b)) (cmd wait -n)"),
    Case("a && b || c", "(&& (cmd a) (cmd b) || (cmd c))"),
    Case("a &&\n  b", "(&& (cmd a) (cmd b))"),
    Case("a | b | c", "(| (cmd a) (cmd b) (cmd c))"),
    Case("a |& b", "(|& (cmd a) (cmd b))"),
    Case("a |\n b", "(| (cmd a) (cmd b))"),
    Case("! a | b", "(! (| (cmd a) (cmd b)))"),
    Case("! ! true", "(cmd true)"),
    Case("time -p a | b", "(time (| (cmd a) (cmd b)))"),
    Case("a && b &", "(bg (&& (cmd a) (cmd b)))"),
    Case("cron && exec nginx -g 'daemon off;'", "(&& (cmd cron) (cmd exec nginx -g 'daemon off;'))"),
    Case("# comment only\n", ""),
    Case("a # trailing ; b\nc", "(cmd a) (cmd c)"),
    Case("a;#x\nb", "(cmd a) (cmd b)"),
    Case("echo a#b", "(cmd echo a#b)"),
    Case("a \\\n  b", "(cmd a b)"),
    Case("", ""),
    Case("\n\n  \n", ""),
  ]

  static let compounds: [Case] = [
    Case("( a; b )", "(subshell (list (cmd a) (cmd b)))"),
    Case("(a)&", "(bg (subshell (list (cmd a))))"),
    Case("{ a; b; }", "(group (list (cmd a) (cmd b)))"),
    Case("{ a & b; } &", "(bg (group (list (bg (cmd a)) (cmd b))))"),
    Case("{ a; } > log 2>&1", "(group (list (cmd a)) >log 2>&1)"),
    Case("if a; then b; fi", "(if (list (cmd a)) (list (cmd b)))"),
    Case(
      "if a; then b; elif c; then d; else e; fi",
      "(if (list (cmd a)) (list (cmd b)) (elif) (list (cmd c)) (list (cmd d)) (else) (list (cmd e)))"),
    Case("if a\nthen\n  b\nfi", "(if (list (cmd a)) (list (cmd b)))"),
    Case("if :; then { :; } fi", "(if (list (cmd :)) (list (group (list (cmd :)))))"),
    Case("while true; do sleep 1; done", "(while (list (cmd true)) (list (cmd sleep 1)))"),
    Case("until false; do :; done", "(until (list (cmd false)) (list (cmd :)))"),
    Case("while read l; do echo $l; done < f", "(while (list (cmd read l)) (list (cmd echo $l)) <f)"),
    Case("for i in 1 2; do echo $i; done", "(for i (in 1 2) (list (cmd echo $i)))"),
    Case("for i; do :; done", "(for i (list (cmd :)))"),
    Case("for i do :; done", "(for i (list (cmd :)))"),
    Case("for i\ndo :; done", "(for i (list (cmd :)))"),
    Case("for i in; do :; done", "(for i (in) (list (cmd :)))"),
    Case("for x in a b\ndo\n :\ndone", "(for x (in a b) (list (cmd :)))"),
    Case("for i in a b; { :; }", "(for i (in a b) (list (cmd :)))"),
    Case("for ((i=0; i<3; i++)); do :; done", "(for-arith \"i=0\" \" i<3\" \" i++\" (list (cmd :)))"),
    Case("for ((;;)) { :; }", "(for-arith \"\" \"\" \"\" (list (cmd :)))"),
    Case("select x in a b; do break; done", "(select x (in a b) (list (cmd break)))"),
    Case(
      "case $1 in a) x;; b|c) y;; *) z;; esac",
      "(case $1 (a (list (cmd x)) ;;) (b|c (list (cmd y)) ;;) (* (list (cmd z)) ;;))"),
    Case("case x in (a) ;; esac", "(case x (a (list) ;;))"),
    Case("case x in a) ;& b) ;;& c) y; esac", "(case x (a (list) ;&) (b (list) ;;&) (c (list (cmd y))))"),
    Case("case x in\n  a)\n    echo\n    ;;\nesac", "(case x (a (list (cmd echo)) ;;))"),
    Case("case x in esac", "(case x)"),
    Case(
      "case \"$1\" in\n  -*) set -- nginx \"$@\" ;;\nesac", "(case \"$1\" (-* (list (cmd set -- nginx \"$@\")) ;;))"),
    Case("[[ -f x && ! -d y ]]", "([[ -f x && ! -d y ]])"),
    Case("[[ $1 =~ -h|--help ]]", "([[ $1 =~ -h|--help ]])"),
    Case("[[ $1 =~ ^(a|b)$ ]] && echo", "(&& ([[ $1 =~ ^(a|b)$ ]]) (cmd echo))"),
    Case("[[ ( a ) || b < c ]]", "([[ ( a ) || b < c ]])"),
    Case("[[ x == @(a|b) ]]", "([[ x == @(a|b) ]])"),
    Case("[[ a &&\n b ]]", "([[ a && b ]])"),
    Case("(( x++ ))", "(arith \" x++ \")"),
    Case("((x = (1 + 2) * 3))", "(arith \"x = (1 + 2) * 3\")"),
    Case("( (a) )", "(subshell (list (subshell (list (cmd a)))))"),
    Case("((a) )", "(subshell (list (subshell (list (cmd a)))))"),
    Case("f() { a; }", "(function f (group (list (cmd a))))"),
    Case("f ( ) { a; }", "(function f (group (list (cmd a))))"),
    Case("f()\n{\n  a\n}", "(function f (group (list (cmd a))))"),
    Case("f() ( a )", "(function f (subshell (list (cmd a))))"),
    Case("f() if a; then b; fi", "(function f (if (list (cmd a)) (list (cmd b))))"),
    Case("function f { a; }", "(function f (group (list (cmd a))))"),
    Case("function f() { a; }", "(function f (group (list (cmd a))))"),
    Case("function f\n{\n a\n}", "(function f (group (list (cmd a))))"),
    Case("my-func.x() { :; }", "(function my-func.x (group (list (cmd :))))"),
    Case("f() { :; } >/dev/null", "(function f (group (list (cmd :)) >/dev/null))"),
    Case("coproc cat", "(coproc (cmd cat))"),
    Case("coproc NAME { cat; }", "(coproc NAME (group (list (cmd cat))))"),
    Case("coproc ( cat )", "(coproc (subshell (list (cmd cat))))"),
  ]

  static let simpleCommands: [Case] = [
    Case("A=1 B=\"x y\" cmd arg", "(cmd A=1 B=\"x y\" cmd arg)"),
    Case("A=1", "(cmd A=1)"),
    Case("A=", "(cmd A=)"),
    Case("a+=x b[1]=y", "(cmd a+=x b[1]=y)"),
    Case("arr=(1 \"2 3\" $x)", "(cmd arr=(1 \"2 3\" $x))"),
    Case("arr+=(\n  a # c\n  b\n)", "(cmd arr+=(a b))"),
    Case("a=([k]=v [j]=w)", "(cmd a=([k]=v [j]=w))"),
    Case("declare -a a=(1 2)", "(cmd declare -a a=(1 2))"),
    Case("local x=$(id -u) y", "(cmd local x=$(id -u) y)"),
    Case("export A=1 B", "(cmd export A=1 B)"),
    Case("readonly X=1", "(cmd readonly X=1)"),
    Case("env A=1 cmd", "(cmd env A=1 cmd)"),
    Case("echo a=b", "(cmd echo a=b)"),
    Case("echo }", "(cmd echo })"),
    Case("echo { a }", "(cmd echo { a })"),
    Case("echo fi done then", "(cmd echo fi done then)"),
    Case("echo if", "(cmd echo if)"),
    Case("echo [[ x", "(cmd echo [[ x)"),
    Case("echo in ]]", "(cmd echo in ]])"),
  ]

  static let redirections: [Case] = [
    Case("a > f", "(cmd a >f)"),
    Case("a >> f 2>&1", "(cmd a >>f 2>&1)"),
    Case("a < f", "(cmd a <f)"),
    Case("a 2>/dev/null", "(cmd a 2>/dev/null)"),
    Case("a &> log", "(cmd a &>log)"),
    Case("a &>> log", "(cmd a &>>log)"),
    Case("a >| f", "(cmd a >|f)"),
    Case("a <> f", "(cmd a <>f)"),
    Case("exec 3>&- 4<&0", "(cmd exec 3>&- 4<&0)"),
    Case("a >&2", "(cmd a >&2)"),
    Case("a >& file", "(cmd a >&file)"),
    Case("a 10>z", "(cmd a 10>z)"),
    Case("echo a 2 >x", "(cmd echo a 2 >x)"),
    Case(">f", "(cmd >f)"),
    Case("2>&1 echo", "(cmd echo 2>&1)"),
    Case("exec {fd}< <(ls)", "(cmd exec {fd}<<(ls))"),
    Case("cat <<< \"$x\"", "(cmd cat <<<\"$x\")"),
    Case("diff <(ls a) >(wc)", "(cmd diff <(ls a) >(wc))"),
    Case("exec > >(tee log) 2>&1", "(cmd exec >>(tee log) 2>&1)"),
  ]

  static let heredocs: [Case] = [
    Case("cat <<EOF\nhello $x\nEOF\necho after", "(cmd cat <<EOF{hello $x\\n}) (cmd echo after)"),
    Case("cat <<'EOF'\n$x\nEOF", "(cmd cat <<'EOF'{$x\\n})"),
    Case("cat <<\"E\"F\nx\nEF\n", "(cmd cat <<\"E\"F{x\\n})"),
    Case("cat <<\\EOF\nx\nEOF\n", "(cmd cat <<\\EOF{x\\n})"),
    Case("cat <<-EOF\n\tindented\n\tEOF\n", "(cmd cat <<-EOF{indented\\n})"),
    Case("cat <<A <<B\na\nA\nb\nB\necho", "(cmd cat <<A{a\\n} <<B{b\\n}) (cmd echo)"),
    Case("cat <<A; cat <<B\na\nA\nb\nB\n", "(cmd cat <<A{a\\n}) (cmd cat <<B{b\\n})"),
    Case("cat <<EOF | grep x\nbody\nEOF\n", "(| (cmd cat <<EOF{body\\n}) (cmd grep x))"),
    Case("x=$(cat <<EOF\nin\nEOF\n)\necho", "(cmd x=$(cat <<EOF\nin\nEOF\n)) (cmd echo)"),
    Case("cat <<EOF\n EOF\nEOF\n", "(cmd cat <<EOF{ EOF\\n})"),
    Case("cat << EOF > /etc/x.conf\n[a]\nEOF\n", "(cmd cat <<EOF{[a]\\n} >/etc/x.conf)"),
  ]

  @Test(arguments: lists) func listsAndPipelines(_ example: Case) { check(example) }
  @Test(arguments: compounds) func compoundCommands(_ example: Case) { check(example) }
  @Test(arguments: simpleCommands) func simpleCommandsAndAssignments(_ example: Case) { check(example) }
  @Test(arguments: redirections) func redirectionForms(_ example: Case) { check(example) }
  @Test(arguments: heredocs) func hereDocuments(_ example: Case) { check(example) }

  func check(_ example: Case, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let script = ShellScript.parse(example.code, dialect: .bash)
    #expect(script.diagnostics.isEmpty, "\(script.diagnostics)", sourceLocation: sourceLocation)
    #expect(ShellTestSupport.dump(example.code) == example.tree, sourceLocation: sourceLocation)
  }

  @Test func heredocBodyDetails() throws {
    let code = "cat <<-EOF >/tmp/x\n\tline $HOME\n\t\tdeeper\n\tEOF\nnext"
    let script = ShellScript.parse(code)
    let redirection = script.invocations[0].redirections.first { $0.op == .heredocStrippingTabs }
    let heredoc = try #require(redirection?.heredoc)
    #expect(heredoc.delimiter == "EOF")
    #expect(!heredoc.isQuoted)
    #expect(heredoc.stripsTabs)
    #expect(heredoc.bodyText == "line $HOME\ndeeper\n")
    #expect(ShellTestSupport.text(code, heredoc.bodyRange) == "\tline $HOME\n\t\tdeeper\n")
    #expect(ShellTestSupport.text(code, heredoc.terminatorRange!) == "\tEOF")
    #expect(heredoc.parts?.contains { if case .parameter(let p) = $0.kind { p.name == "HOME" } else { false } } == true)
    #expect(script.invocations[0].redirections.contains { $0.op == .output && $0.target?.literalValue == "/tmp/x" })
    #expect(script.invocations[1].name == "next")
  }

  @Test func heredocInsideCommandSubstitutionIsFilled() {
    let script = ShellScript.parse("x=$(cat <<EOF\nbody\nEOF\n)\n")
    let inner = script.invocations.first { $0.name == "cat" }
    #expect(inner?.redirections.first?.heredoc?.bodyText == "body\n")
    #expect(inner?.isInCommandSubstitution == true)
  }

  @Test func unterminatedHeredocIsAWarningLikeBash() {
    let script = ShellScript.parse("cat <<EOF\nabc\n")
    #expect(!script.hasErrors)
    #expect(script.diagnostics.count == 1)
    #expect(script.diagnostics[0].severity == .warning)
    #expect(script.diagnostics[0].kind == .unterminatedHeredoc)
    #expect(script.invocations[0].redirections[0].heredoc?.isTerminated == false)
  }

  @Test func heredocBodyExpansionsAreLenient() {
    // bash -n does not look inside here-document bodies
    let script = ShellScript.parse("cat <<EOF\n$(\n${x\nEOF\necho ok\n")
    #expect(script.diagnostics.isEmpty)
    #expect(script.invocations[0].redirections[0].heredoc?.parts == nil)
    #expect(script.invocations.map(\.name) == ["cat", "echo"])
  }

  @Test func commandSubstitutionWithCaseAndComment() {
    #expect(ShellScript.parse("echo $(case x in a) echo 1;; esac)").diagnostics.isEmpty)
    #expect(ShellScript.parse("echo $(echo #)\n)").diagnostics.isEmpty)
    #expect(ShellScript.parse("echo \"$(echo \")\")\"").diagnostics.isEmpty)
    let script = ShellScript.parse("x=$( (cd /a && ls) | wc -l )")
    #expect(script.invocations.map(\.name) == [nil, "cd", "ls", "wc"])
  }

  @Test func arithmeticVersusNestedSubshell() {
    let arithmetic = ShellScript.parse("echo $(( (1 + 2) * 3 ))")
    #expect(arithmetic.invocations.count == 1)
    let substitution = ShellScript.parse("echo $((echo 1) )")
    #expect(substitution.diagnostics.isEmpty)
    #expect(substitution.invocations.map(\.name) == ["echo", "echo"])
  }

  @Test func reservedWordsOnlyAtCommandStart() {
    let script = ShellScript.parse("echo if then fi; if true; then echo done; fi")
    #expect(script.invocations.map(\.name) == ["echo", "true", "echo"])
    #expect(script.invocations[0].argumentValues == ["if", "then", "fi"])
  }

  @Test func crlfIsNotALineEndingForTheShell() {
    // bash treats \r as part of the word: `then\r` is not `then`
    let script = ShellScript.parse("if true; then\r\n  echo a\r\nfi\r\n")
    #expect(script.hasErrors)
  }

  @Test func rangesPointIntoTheOriginalFile() {
    let code = "#!/bin/sh\nexec nginx -g 'daemon off;'\n"
    let script = ShellScript.parse(file: SourceFile(path: "run", text: code))
    let command = script.invocations[0]
    #expect(ShellTestSupport.text(code, command.range) == "exec nginx -g 'daemon off;'")
    #expect(ShellTestSupport.text(code, command.programWord!.range) == "nginx")
    #expect(ShellTestSupport.text(code, command.argument(after: "-g")!.range) == "'daemon off;'")
  }

  @Test func rangesThroughADockerfileContinuation() {
    // Dockerfile: `CMD nginx \` newline `  -g 'daemon off;'` — the instruction parser removed `\`+newline
    let dockerfile = "CMD nginx \\\n  -g 'daemon off;'\n"
    var text = MappedText()
    text.appendVerbatim(Array("nginx ".utf8), originalStart: 4)
    text.appendVerbatim(Array("  -g 'daemon off;'".utf8), originalStart: 12)
    let script = ShellScript.parse(text)
    #expect(script.diagnostics.isEmpty)
    let command = script.invocations[0]
    #expect(ShellTestSupport.text(dockerfile, command.range) == "nginx \\\n  -g 'daemon off;'")
    #expect(ShellTestSupport.text(dockerfile, command.arguments[1].range) == "'daemon off;'")
    #expect(script.execArguments == ["nginx", "-g", "daemon off;"])
  }

  @Test func rangesThroughAJSONString() {
    // ["sh", "-c", "echo \"hi\" && exec app"] — the decoded element maps escapes back to their `\"`
    let dockerfile = #"CMD ["sh", "-c", "echo \"hi\" && exec app"]"#
    let bytes = Array(dockerfile.utf8)
    let open = 18  // after the opening quote of the third element
    var text = MappedText()
    var index = open
    while bytes[index] != UInt8(ascii: "\"") || bytes[index - 1] == UInt8(ascii: "\\") {
      if bytes[index] == UInt8(ascii: "\\") {
        text.appendDecoded([bytes[index + 1]], originalStart: index, originalLength: 2)
        index += 2
      } else {
        text.appendVerbatim([bytes[index]], originalStart: index)
        index += 1
      }
    }
    #expect(text.text == "echo \"hi\" && exec app")
    let script = ShellScript.parse(text)
    #expect(script.diagnostics.isEmpty)
    let echo = script.invocations[0]
    #expect(ShellTestSupport.text(dockerfile, echo.arguments[0].range) == #"\"hi\""#)
    let app = script.terminalCommands[0]
    #expect(ShellTestSupport.text(dockerfile, app.range) == "exec app")
    #expect(app.isExec && app.program == "app")
  }

  @Test func backquotesAreUnescapedAndMapped() {
    let code = "echo `echo \\`id -u\\``"
    let script = ShellScript.parse(code)
    #expect(script.diagnostics.isEmpty)
    #expect(script.invocations.map(\.name) == ["echo", "echo", "id"])
    let id = script.invocations[2]
    #expect(ShellTestSupport.text(code, id.range) == "id -u")
    #expect(id.isInCommandSubstitution)
  }

  @Test func backquotedCodeIsCheckedOnlyWhenRun() {
    // bash -n accepts `echo \`if\``; the problem is kept for later
    let script = ShellScript.parse("echo `if`")
    #expect(script.diagnostics.isEmpty)
    guard case .commandSubstitution(let substitution)? = script.invocations[0].arguments[0].parts.first?.kind else {
      Issue.record("no substitution")
      return
    }
    #expect(!substitution.deferredDiagnostics.isEmpty)
  }
}
