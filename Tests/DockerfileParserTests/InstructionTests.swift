import Testing
@testable import DockerfileParser

@Suite struct InstructionTests {
  @Test func keywordsAreCaseInsensitiveAndKeptAsWritten() {
    let file = Dockerfile.parse("from a\nRun b\nWORKDIR /x\n")
    #expect(file.instructions.map(\.kind) == [.from, .run, .workdir])
    #expect(file.instructions.map(\.keyword) == ["from", "Run", "WORKDIR"])
    #expect(file.buildKitDump() == "(from \"a\")\n(run \"b\")\n(workdir \"/x\")\n")
    #expect(file.issues.isEmpty)
  }

  @Test func goLowercasingMatchesKelvinSign() {
    // Go's strings.ToLower maps U+212A (KELVIN SIGN) to "k".
    let file = Dockerfile.parse("FROM a\nHEALTHCHEC\u{212A} NONE\n")
    #expect(file.instructions[1].kind == .healthcheck)
    #expect(file.buildKitDump() == "(from \"a\")\n(healthcheck \"NONE\")\n")
  }

  @Test func unknownInstructionIsReportedWithLocationAndSuggestion() {
    let file = Dockerfile.parse("FROM alpine\n  FORM x\nCOPYY a b\n")
    #expect(file.parserAccepts)
    #expect(file.instructions[1].kind == .unknown("FORM"))
    #expect(file.buildKitDump() == "(from \"alpine\")\n(form \"\")\n(copyy \"\")\n")
    let messages = file.issues.map { $0.formatted(in: file.source) }
    #expect(messages == [
      "Dockerfile:2:3: error: unknown instruction: FORM (did you mean FROM?): expected a Dockerfile instruction",
      "Dockerfile:3:1: error: unknown instruction: COPYY (did you mean COPY?): expected a Dockerfile instruction",
    ])
  }

  @Test func healthcheckForms() throws {
    let file = Dockerfile.parse(
      "FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s --retries=3 CMD curl -f x || exit 1\nHEALTHCHECK CMD [\"true\"]\n")
    let none = try #require(file.instructions[1].healthcheck)
    guard case .none = none.mode else {
      Issue.record("expected NONE")
      return
    }
    let command = try #require(file.instructions[2].healthcheck)
    #expect(command.interval?.value == "5s")
    #expect(command.retries?.value == "3")
    guard case .command(.shell(let shell, _)) = command.mode else {
      Issue.record("expected a shell command")
      return
    }
    #expect(shell.text == "curl -f x || exit 1")
    guard case .command(.exec(let arguments)) = try #require(file.instructions[3].healthcheck).mode else {
      Issue.record("expected an exec command")
      return
    }
    #expect(arguments.map(\.value) == ["true"])
    #expect(file.issues.isEmpty)
  }

  @Test func healthcheckInstructionErrors() {
    func messages(_ text: String) -> [String] { Dockerfile.parse("FROM a\n" + text).issues.map(\.message) }
    #expect(messages("HEALTHCHECK") == ["HEALTHCHECK requires at least one argument"])
    #expect(messages("HEALTHCHECK NONE x") == ["HEALTHCHECK NONE takes no arguments"])
    #expect(messages("HEALTHCHECK CMD") == ["Missing command after HEALTHCHECK CMD"])
    #expect(messages("HEALTHCHECK CONNECT x") == ["Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)"])
    #expect(messages("HEALTHCHECK --interval=1us CMD x") == ["Interval \"interval\" cannot be less than 1ms"])
    #expect(messages("HEALTHCHECK --timeout=soon CMD x") == ["time: invalid duration \"soon\""])
    #expect(messages("HEALTHCHECK --retries=-1 CMD x") == ["--retries cannot be negative (-1)"])
    #expect(messages("HEALTHCHECK --interval=1m30s --start-period=0s CMD x").isEmpty)
  }

  @Test func onbuildNestsItsTrigger() throws {
    let file = Dockerfile.parse("FROM a\nONBUILD RUN [\"echo\", \"x\"]\nONBUILD\n")
    let onbuild = file.instructions[1]
    #expect(onbuild.kind == .onbuild)
    #expect(onbuild.value.isEmpty)
    let trigger = try #require(onbuild.triggerInstruction)
    #expect(trigger.kind == .run && trigger.isJSON && trigger.isTrigger)
    #expect(trigger.startLine == 2)
    #expect(text(file, trigger.keywordRange) == "RUN")
    #expect(file.instructions[2].triggerInstruction == nil)
    #expect(file.buildKitDump() == "(from \"a\")\n(onbuild (run \"echo\" \"x\"))\n(onbuild)\n")
    #expect(file.issues.map(\.message) == ["ONBUILD requires at least one argument"])
  }

  @Test func onbuildRestrictions() {
    func messages(_ text: String) -> [String] { Dockerfile.parse("FROM a\n" + text).issues.map(\.message) }
    #expect(messages("ONBUILD ONBUILD RUN x") == ["Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"])
    #expect(messages("ONBUILD from b") == ["FROM isn't allowed as an ONBUILD trigger"])
    #expect(messages("ONBUILD MAINTAINER me") == ["MAINTAINER isn't allowed as an ONBUILD trigger"])
    #expect(dump("ONBUILD ONBUILD RUN x") == "(onbuild (onbuild (run \"x\")))\n")
  }

  @Test func deepOnbuildNestingDoesNotRecurse() {
    let depth = 8_000
    let text = String(repeating: "ONBUILD ", count: depth) + "RUN x"
    let file = Dockerfile.parse(text)
    var current: Instruction? = file.instructions[0]
    var levels = 0
    while let item = current {
      levels += 1
      current = item.triggerInstruction
    }
    #expect(levels == depth + 1)
    let dumped = file.buildKitDump()
    #expect(dumped.hasPrefix("(onbuild (onbuild "))
    #expect(dumped.hasSuffix("(run \"x\"" + String(repeating: ")", count: depth + 1) + "\n"))
  }

  @Test func fromArgumentsAndStages() throws {
    let file = Dockerfile.parse("""
      ARG BASE=alpine
      FROM --platform=linux/amd64 golang:1.22 AS Build
      RUN go build
      FROM ${BASE}
      COPY --from=build /app /app
      FROM build AS test
      CMD ["/app"]

      """)
    let from = try #require(file.instructions[1].fromArguments)
    #expect(from.image.text == "golang:1.22")
    #expect(from.stageName?.text == "Build")
    #expect(from.normalizedStageName == "build")
    #expect(from.platform?.value == "linux/amd64")
    #expect(text(file, from.asKeyword?.range) == "AS")
    #expect(file.globalArgumentIndices == [0])
    #expect(file.stages.map(\.name) == ["build", nil, "test"])
    #expect(file.stages.map(\.baseName) == ["golang:1.22", "${BASE}", "build"])
    #expect(file.stages.map(\.baseStageIndex) == [nil, nil, 0])
    #expect(file.stages.map(\.instructionIndices) == [1..<3, 3..<5, 5..<7])
    #expect(file.stage(named: "BUILD")?.index == 0)
    #expect(file.stage(containing: 4)?.index == 1)
    #expect(file.stage(containing: 0) == nil)
    #expect(file.lastInstruction(.cmd, in: file.stages[2])?.startLine == 7)
    #expect(file.stages[0].platform?.value == "linux/amd64")
    #expect(file.issues.isEmpty)
  }

  @Test func fromErrors() {
    func messages(_ text: String) -> [String] { Dockerfile.parse(text).issues.map(\.message) }
    #expect(messages("FROM a b") == ["FROM requires either one or three arguments"])
    #expect(messages("FROM") == ["FROM requires either one or three arguments"])
    #expect(messages("FROM a AS 1x") == ["invalid name for build stage: \"1x\", name can't start with a number or contain symbols"])
    #expect(messages("RUN x\nFROM a") == ["no build stage in current context: expected a FROM before RUN"])
  }

  @Test func copyArguments() throws {
    let file = Dockerfile.parse("FROM a\nCOPY --from=build --chmod=755 --link a.sh b* /usr/bin/\nADD --checksum=sha256:x https://x/y /y\n")
    let copy = try #require(file.instructions[1].copyArguments)
    #expect(copy.pathSources.map(\.text) == ["a.sh", "b*"])
    #expect(copy.destination?.text == "/usr/bin/")
    #expect(copy.from?.value == "build")
    #expect(copy.chmod?.value == "755")
    #expect(copy.link?.boolValue == true)
    #expect(text(file, copy.destination?.range) == "/usr/bin/")
    #expect(file.instructions[2].copyArguments?.checksum?.value == "sha256:x")
    #expect(Dockerfile.parse("FROM a\nCOPY x").issues.first?.code == .wrongArgumentCount)
  }

  @Test func singleValueInstructions() {
    let file = Dockerfile.parse("FROM a\nUSER app:app\nWORKDIR /srv/my app\nSTOPSIGNAL SIGQUIT\nMAINTAINER Jane <j@x>\nEXPOSE 80/tcp 443\nVOLUME [\"/data\"]\n")
    #expect(file.instructions[1].singleValue?.text == "app:app")
    #expect(file.instructions[2].singleValue?.text == "/srv/my app")
    #expect(file.instructions[3].singleValue?.text == "SIGQUIT")
    #expect(file.instructions[4].singleValue?.text == "Jane <j@x>")
    #expect(file.instructions[5].exposedPorts.map(\.text) == ["80/tcp", "443"])
    #expect(file.instructions[6].volumes.map(\.text) == ["/data"])
    #expect(file.instructions[0].singleValue == nil)
    // BuildKit takes the whole rest as the value, so WORKDIR with a space is one argument.
    #expect(file.issues.isEmpty)
  }

  @Test func shellMustBeJSON() {
    #expect(Dockerfile.parse("FROM a\nSHELL /bin/bash -c").issues.map(\.message) == ["SHELL requires the arguments to be in JSON form"])
    #expect(Dockerfile.parse("FROM a\nSHELL []").issues.map(\.message) == ["SHELL requires at least one argument"])
  }

  @Test func emptyLogicalLineIsAnEmptyUnknownInstruction() {
    // A line holding only the escape continues into nothing at the end of the file.
    let file = Dockerfile.parse("FROM a\n\\\n")
    #expect(file.buildKitDump() == "(from \"a\")\n(\"\")\n")
    #expect(file.instructions[1].kind == .unknown(""))
    #expect(Invariants.violation(file) == nil)
  }

  @Test func nodesCoverTheFile() {
    let file = Dockerfile.parse("# syntax=x\n\n# c\nFROM a\n")
    let kinds = file.nodes.map { node -> String in
      switch node {
      case .trivia(let piece): return "\(piece.kind)"
      case .directive(let directive, _): return "directive:\(directive.name)"
      case .instruction(let instruction): return "instruction:\(instruction.kind)"
      }
    }
    #expect(kinds == ["directive:syntax", "newline", "newline", "comment", "newline", "instruction:FROM", "newline"])
  }

  @Test func noInstructionsIsAnError() {
    for text in ["", "# only a comment\n", "\n\n", "# syntax=x\n"] {
      let file = Dockerfile.parse(text)
      #expect(file.parserErrors == [.noInstructions], "\(text)")
      #expect(file.printed() == file.source.bytes)
    }
  }
}
