import DockerfileParser
import Testing
@testable import MultiProcAdvisor

/// How far the launch chain follows indirection: eval, su -c, sourced files, scripts run without exec;
/// and what it says where it stops.
@Suite struct PID1ChainTests {
  func analyse(_ dockerfile: String, _ files: [String: String]) -> LintContext {
    Linter.lint(Linter.Request(dockerfile: SourceFile(path: "Dockerfile", text: dockerfile), context: InMemoryBuildContext(files: files))).context
  }

  static let tiniImage = "FROM debian\nRUN apt-get update && apt-get install -y tini\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"app\"]\n"

  func unknownReasons(_ launch: Launch) -> [String] {
    launch.steps.compactMap { if case .unknown(let reason) = $0 { reason } else { nil } }
  }

  @Test func evalOfTheScriptsOwnFunctionRunsTheInit() throws {
    let context = analyse(Self.tiniImage, ["entry.sh": "#!/bin/sh\nselect_init() {\n  if [ -x /usr/bin/tini ]; then echo /usr/bin/tini; else echo tini; fi\n}\neval exec $(select_init) -- \"$@\"\n"])
    let initProcess = try #require(context.launch.inits.first)
    #expect(initProcess.kind == .tini)
    #expect(initProcess.isPID1)
    #expect(context.launch.mainProgram?.command.text == "app")
  }

  @Test func evalOfAnUnknownValueStopsWithANote() throws {
    let context = analyse(Self.tiniImage, ["entry.sh": "#!/bin/sh\neval exec $(command -v tini) -- \"$@\"\n"])
    #expect(context.launch.inits.isEmpty)
    #expect(unknownReasons(context.launch) == ["eval runs '$(command -v tini)', whose value is known only at run time"])
    let shell = try #require(context.launch.shellPrograms.first)
    let note = try #require(shell.provenance.last)
    #expect(note.message.hasPrefix("the PID 1 chain is not followed past here: eval runs"))
    #expect(note.location?.file.path == "entry.sh")
    #expect(note.location?.start.line == 2)
  }

  @Test func evalReparsesItsWords() {
    // `"$@"` holding `daemon off;` would be split again by eval: not followed past the known words.
    let context = analyse(
      "FROM debian\nRUN apt-get update && apt-get install -y tini\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
      ["entry.sh": "#!/bin/sh\neval exec tini -- \"$@\"\n"])
    #expect(context.launch.inits.map(\.kind) == [.tini])
    #expect(context.launch.mainProgram == nil)
    #expect(unknownReasons(context.launch).count == 1)
  }

  @Test func suWithAnUnknownCommandStopsWithANote() throws {
    let context = analyse(
      "FROM debian\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", ["entry.sh": "#!/bin/sh\nexec su app -c \"$START\"\n"])
    #expect(unknownReasons(context.launch) == ["su -c runs '\"$START\"', whose value is known only at run time"])
    #expect(context.launch.shellPrograms.first?.provenance.last?.message.contains("not followed past here") == true)
  }

  @Test func suWithALiteralCommandRunsItAsSusChild() throws {
    let context = analyse(
      "FROM debian\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", ["entry.sh": "#!/bin/sh\nexec su app -s /bin/sh -c 'exec redis-server --port 7000'\n"])
    let main = try #require(context.launch.mainProgram)
    #expect(main.command.text == "redis-server --port 7000")
    #expect(!main.isPID1)
  }

  @Test func scriptsRunWithoutExecAreAnalysedAtAnyDepthOnce() {
    let files = [
      "start.sh": "#!/bin/sh\n/opt/a.sh\nexec app\n",
      "a.sh": "#!/bin/sh\nsh /opt/b.sh\n",
      "b.sh": "#!/bin/sh\n. /opt/a.sh\n/opt/c.sh\n",
      "c.sh": "#!/bin/sh\n/opt/start.sh\necho done\n",
    ]
    let context = analyse("FROM debian\nCOPY start.sh a.sh b.sh c.sh /opt/\nCMD [\"/opt/start.sh\"]\n", files)
    // a → b → (a again: not followed) → c → (start.sh, the chain's own script: not followed).
    #expect(context.launch.helperPrograms.compactMap(\.file?.path) == ["/opt/a.sh", "/opt/b.sh", "/opt/c.sh"])
    let notes = context.launch.helperPrograms.last?.provenance.map(\.message) ?? []
    #expect(notes.contains("/opt/b.sh runs /opt/c.sh and waits for it"))
  }

  @Test func findingsOfTheLastShellSayWhereTheChainStops() throws {
    let request = Linter.Request(
      dockerfile: SourceFile(path: "Dockerfile", text: "FROM debian\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n"),
      context: InMemoryBuildContext(files: ["start.sh": "#!/bin/sh\nservice cron start\nexec $APP_CMD --port 80\n"]))
    let finding = try #require(Linter.lint(request).findings.first { $0.ruleID == "DA205" })
    let note = try #require(finding.notes.last)
    #expect(note.message == "the PID 1 chain is not followed past here: it runs '$APP_CMD', whose value is known only at run time")
    #expect(note.location?.file.path == "start.sh")
    #expect(note.location.map { "\($0.start.line):\($0.start.column)" } == "3:6")
  }

  @Test func sourcedAssignmentsAreKnownValues() {
    let context = analyse(
      "FROM debian\nCOPY app.env /etc/app.env\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
      ["app.env": "SERVER=\"redis-server --port 7000\"\n", "start.sh": "#!/bin/sh\n. /etc/app.env\nexec $SERVER\n"])
    #expect(context.launch.mainProgram?.command.text == "redis-server --port 7000")
    // Not in the image: nothing it might set is trusted.
    let missing = analyse(
      "FROM debian\nCOPY start.sh /start.sh\nENV SERVER=app\nCMD [\"/start.sh\"]\n", ["start.sh": "#!/bin/sh\n. /etc/app.env\nexec $SERVER\n"])
    #expect(missing.launch.mainProgram?.command.text != "app")
  }
}
