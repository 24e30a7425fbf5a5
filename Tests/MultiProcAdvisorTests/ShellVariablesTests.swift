import DockerfileParser
import Testing
@testable import MultiProcAdvisor

/// `ShellVariables`: which values a program's variables are known to hold (its one literal assignment,
/// else the image's ENV), and when they are not known.
@Suite struct ShellVariablesTests {
  func variables(_ code: String, environment: [String: String] = [:]) -> ShellVariables {
    ShellVariables(script: ShellScript.parse(code, dialect: .bash), source: SourceFile(path: "s.sh", text: code), environment: environment)
  }

  /// The value `$name` has at the end of `code` (evaluated as the word of `echo`).
  func value(_ name: String, in code: String, environment: [String: String] = [:], word: String? = nil) -> String? {
    let program = code + "\necho \(word ?? "\"$\(name)\"")\n"
    let script = ShellScript.parse(program, dialect: .bash)
    let known = ShellVariables(script: script, source: SourceFile(path: "s.sh", text: program), environment: environment)
    guard let echo = script.invocations.last, echo.command.words.count == 2 else { return nil }
    return known.evaluate(echo.command.words[1])
  }

  @Test func oneLiteralAssignmentIsKnown() {
    #expect(value("CMD_LINE", in: "CMD_LINE=\"nginx -g 'daemon off;'\"") == "nginx -g 'daemon off;'")
    #expect(value("A", in: "A=plain") == "plain")
    #expect(value("A", in: "A=x", word: "\"pre-${A}-post\"") == "pre-x-post")
    #expect(value("A", in: "A=x", word: "\"${A:-fallback}\"") == "x")
  }

  @Test func environmentIsUsedWhenTheProgramNeverAssigns() {
    #expect(value("DISPLAY", in: ":", environment: ["DISPLAY": ":1"]) == ":1")
    #expect(value("DISPLAY", in: "DISPLAY=:2", environment: ["DISPLAY": ":1"]) == ":2")
  }

  @Test func precisionOverRecall() {
    // Assigned twice, read, looped over, declared, set by `${x:=…}`, or only for one command.
    #expect(value("A", in: "A=1\nA=2") == nil)
    #expect(value("A", in: "read A") == nil)
    #expect(value("A", in: "for A in x y; do :; done") == nil)
    #expect(value("A", in: "export A=1") == nil)
    #expect(value("A", in: "local A=1") == nil)
    #expect(value("A", in: ": \"${A:=dflt}\"") == nil)
    #expect(value("A", in: "A=1 cmd") == nil)
    #expect(value("A", in: "A=\"$(hostname)\"") == nil)
    #expect(value("A", in: "A=1\nunset A") == nil)
    // A sourced file may set anything: the ENV is no longer trusted.
    #expect(value("DISPLAY", in: ". /etc/profile", environment: ["DISPLAY": ":1"]) == nil)
    // Operations other than a default are not evaluated.
    #expect(value("A", in: "A=abc", word: "\"${A#a}\"") == nil)
    #expect(value("UNSET", in: ":") == nil)
  }

  @Test func unquotedValuesSplitIntoFields() throws {
    let code = "CMD_LINE=\"nginx -g daemon\"\nexec $CMD_LINE\n"
    let script = ShellScript.parse(code)
    let known = ShellVariables(script: script, source: SourceFile(path: "s.sh", text: code), environment: [:])
    let exec = try #require(script.invocations.last)
    #expect(known.fields(of: exec.command.words[1]) == ["nginx", "-g", "daemon"])
    // A quoted word is one field, never split.
    let quoted = ShellScript.parse("echo \"$CMD_LINE\"").invocations[0].command.words[1]
    #expect(known.fields(of: quoted) == nil)
  }

  @Test func aLiteralValueKeepsItsBytesAsCode() throws {
    let code = "CODE='nginx -g \"daemon off;\"'\nsh -c \"$CODE\"\n"
    let known = variables(code)
    let value = try #require(known.value(of: "CODE"))
    #expect(value.text == "nginx -g \"daemon off;\"")
    let mapped = try #require(value.code)
    #expect(String(decoding: mapped.bytes, as: UTF8.self) == value.text)
    // A value with escapes is not its own bytes: no code mapping.
    #expect(variables("CODE=\"a \\\"b\\\"\"\n").value(of: "CODE")?.code == nil)
  }
}
