import Foundation
import Testing

@testable import DockerfileParser

/// The query API on real scripts: what each rule in RULES.md will ask, answered for known cases.
@Suite struct ShellGoldenTests {
  /// A script from the corpus (nil, with a printed reason, when the corpus is absent).
  func corpus(_ path: String) -> (SourceFile, ShellScript)? {
    let url = ShellTestSupport.corpusRoot.appendingPathComponent(path)
    guard let bytes = ShellTestSupport.readFile(url) else {
      print("skipping: \(url.path) is absent")
      return nil
    }
    let file = SourceFile(path: path, bytes: bytes)
    return (file, ShellScript.parse(file: file))
  }

  func fixture(_ name: String) throws -> (SourceFile, ShellScript) {
    let url = ShellTestSupport.fixturesRoot.appendingPathComponent("scripts/" + name)
    let bytes = try #require(ShellTestSupport.readFile(url))
    let file = SourceFile(path: name, bytes: bytes)
    return (file, ShellScript.parse(file: file))
  }

  func line(_ file: SourceFile, _ command: ShellInvocation) -> Int { file.location(of: command.range.start).line }

  // MARK: - Corpus

  @Test func officialPostgresEndsWithExecArguments() throws {
    let folders = ["14__bookworm", "14__alpine3.23", "16__trixie", "17__bookworm", "18__alpine3.22", "18__trixie"]
    for folder in folders {
      guard let (file, script) = corpus("official/postgres__\(folder)/docker-entrypoint.sh") else { return }
      #expect(script.diagnostics.isEmpty)
      #expect(script.dialect == .bash)
      let terminals = script.terminalCommands
      let last = try #require(terminals.last)
      #expect(file.text(of: last.range) == "exec \"$@\"")
      #expect(last.isExec && last.runsArguments && last.functionName == "_main")
      let restart = try #require(terminals.first)
      #expect(file.text(of: restart.range) == "exec gosu postgres \"$BASH_SOURCE\" \"$@\"")
      #expect(restart.wrappers.map(\.name) == ["exec", "gosu"])
      #expect(restart.user == "postgres")
      #expect(terminals.count == 2)
      #expect(script.commandsRunningScriptArguments.map { file.text(of: $0.range) } == ["exec \"$@\""])
      #expect(script.functionsReceivingScriptArguments.contains("_main"))
      #expect(script.backgroundJobs.isEmpty)
      #expect(script.enabledOptions.isSuperset(of: ["errexit", "pipefail", "errtrace"]))
    }
  }

  @Test func shrinkPhpApiWaitN() throws {
    guard let (file, script) = corpus("realworld/057-shrink-php-api-tini-wait-n/entrypoint.sh") else { return }
    #expect(script.dialect == .posix)
    #expect(script.backgroundJobs.count == 2)
    let services = script.backgroundJobs.flatMap { script.commands(of: $0) }
    #expect(services.map(\.program) == ["php-fpm", "nginx"])
    #expect(services[0].hasFlag("-F"))
    #expect(services[1].argument(after: "-g")?.literalValue == "daemon off;")
    #expect(script.backgroundJobs.allSatisfy { $0.isInMainPath })
    #expect(script.waits.count == 1 && script.waits[0].waitsForAny)
    #expect(script.terminalCommands.map { file.text(of: $0.range) } == ["wait -n"])
    // DA203: `wait -n` in a /bin/sh script
    #expect(script.bashisms(.waitOption).count == 1)
    #expect(script.commands(after: script.waits[0].invocation).isEmpty)
    #expect(script.traps.isEmpty)
    // the `until [ -f … ]` wait loop is not a keep-alive
    #expect(script.loops.count == 1 && !script.loops[0].isInfinite)
  }

  @Test func consolHeadlessVNCWaitsForOneChild() throws {
    guard let (file, script) = corpus("realworld/021-consol-headless-vnc-bg-wait-one/src/common/scripts/vnc_startup.sh")
    else { return }
    #expect(script.diagnostics.isEmpty)
    #expect(script.enabledOptions.contains("errexit"))
    let trap = try #require(script.traps.first)
    #expect(trap.signals == [.int, .term])
    #expect(trap.action == .command("cleanup"))
    #expect(script.handlerCommands(of: trap).map { file.text(of: $0.range) } == ["kill -s SIGTERM $!", "exit 0"])
    #expect(script.backgroundJobs.count == 1)
    let proxy = try #require(script.commands(of: script.backgroundJobs[0]).first)
    #expect(proxy.program == "novnc_proxy")
    #expect(proxy.redirections.map(\.op) == [.output, .duplicateOutput])
    #expect(script.backgroundPIDVariables.map(\.name) == ["PID_SUB"])
    let wait = try #require(script.waits.first)
    #expect(wait.operands == [.variable("PID_SUB", holdsBackgroundPID: true)])
    #expect(!wait.waitsForAll && !wait.waitsForAny)
    let terminals = script.terminalCommands.map { file.text(of: $0.range) }
    #expect(terminals == ["exec \"${@:2}\"", "wait $PID_SUB", "exec \"$@\""])
    #expect(script.commandsRunningScriptArguments.count == 2)
    #expect(script.bashisms(.doubleBracketTest).count >= 5)
  }

  @Test func piholeCapshInTheBackground() throws {
    guard let (file, script) = corpus("realworld/023-pihole-v6-bash-capsh-bg-wait/start.sh") else { return }
    let trap = try #require(script.traps.first)
    #expect(trap.signals == [.term, .int, .quit, .hup, .err])
    #expect(script.handlerCommands(of: trap).contains { $0.program == "killall" })
    #expect(script.backgroundJobs.count == 2)
    let capsh = try #require(script.commands(of: script.backgroundJobs[0]).first)
    #expect(capsh.name == "capsh")
    #expect(capsh.program == "pihole-FTL")
    #expect(capsh.wrappers.map(\.name) == ["capsh"])
    #expect(capsh.functionName == "start" && capsh.isBackground && !capsh.isInMainPath)
    #expect(script.backgroundJobs.allSatisfy { $0.isInMainPath })
    #expect(script.commands(of: script.backgroundJobs[1]).first?.program == "tail")
    #expect(script.backgroundPIDVariables.map(\.name) == ["CAPSH_PID"])
    #expect(
      script.waits.map(\.operands) == [
        [.variable("CAPSH_PID", holdsBackgroundPID: true)], [.variable("CAPSH_PID", holdsBackgroundPID: true)],
      ])
    let terminal = try #require(script.terminalCommands.last)
    #expect(file.text(of: terminal.range) == "exit \"${FTL_EXIT_CODE}\"")
    #expect(terminal.functionName == "stop")
  }

  @Test func rssScraperCeleryInTheBackground() throws {
    guard let (file, script) = corpus("realworld/050-rss-scraper-celery-bg-gunicorn/docker/app_entrypoint.sh") else {
      return
    }
    #expect(script.backgroundJobs.map { script.commands(of: $0).first?.program } == ["celery", "celery"])
    #expect(
      script.backgroundJobs.map { script.commands(of: $0).first?.argumentValues.dropFirst(2).first } == [
        "beat", "worker",
      ])
    let terminal = try #require(script.terminalCommands.first)
    #expect(script.terminalCommands.count == 1)
    #expect(file.text(of: terminal.range) == "gunicorn --bind 0.0.0.0:5000 application:app")
    #expect(!terminal.isExec && !terminal.isBackground)
    #expect(script.waits.isEmpty && script.traps.isEmpty)
    #expect(line(file, terminal) == 6)
  }

  @Test func netboxConfiguresUnitInTheBackground() throws {
    guard let (file, script) = corpus("realworld/033-netbox-tini-unit-bg-config/docker/launch-netbox.sh") else {
      return
    }
    let job = try #require(script.backgroundJobs.first)
    #expect(script.backgroundJobs.count == 1)
    #expect(job.kind == .simpleCommand)
    let commands = script.commands(of: job)
    #expect(commands.first?.name == "load_configuration")
    #expect(commands.contains { $0.program == "curl" })
    #expect(commands.contains { $0.name == "return" })
    let terminal = try #require(script.terminalCommands.first)
    #expect(script.terminalCommands.count == 1)
    #expect(terminal.isExec && terminal.program == "unitd" && terminal.hasFlag("--no-daemon"))
    #expect(terminal.value(ofOption: "--log") == "/dev/stdout")
    #expect(line(file, terminal) == 49)
    let whileLoop = try #require(script.loops.first)
    #expect(!whileLoop.isInfinite && whileLoop.functionName == "load_configuration")
  }

  @Test func netboxEntrypointUsesProcessSubstitution() throws {
    guard let (_, script) = corpus("realworld/033-netbox-tini-unit-bg-config/docker/docker-entrypoint.sh") else {
      return
    }
    #expect(script.diagnostics.isEmpty)
    #expect(script.bashisms(.fileDescriptorVariable).count == 2)
    #expect(script.bashisms(.processSubstitution).count == 1)
    #expect(script.waits.first?.operands == [.lastBackgroundPID])
    #expect(script.commandsRunningScriptArguments.count == 1)
  }

  // MARK: - Fixtures

  @Test func recommendedWrapper() throws {
    let (file, script) = try fixture("wrapper-wait-n.sh")
    #expect(script.backgroundJobs.count == 2)
    #expect(script.backgroundJobs.map { script.commands(of: $0)[0].program } == ["web", "worker"])
    let wait = try #require(script.waits.first)
    #expect(wait.waitsForAny && wait.operands.isEmpty)
    let after = script.commands(after: wait.invocation)
    #expect(after.map { file.text(of: $0.range) } == ["exit $?"])
    #expect(script.terminalCommands.map { file.text(of: $0.range) } == ["exit $?"])
    #expect(script.dialect == .bash && script.bashisms(.waitOption).count == 1)
  }

  @Test func waitNWithTheStatusLost() throws {
    let (file, script) = try fixture("wait-n-status-lost.sh")
    #expect(script.backgroundJobs.count == 2)
    #expect(script.backgroundJobs.map(\.listIndex) == [0, 1] && script.backgroundJobs.allSatisfy { $0.listCount == 4 })
    let wait = try #require(script.waits.first)
    let after = script.commands(after: wait.invocation)
    #expect(after.map(\.name) == ["echo"])
    #expect(script.terminalCommands.map { file.text(of: $0.range) } == ["echo \"a service stopped\""])
    #expect(script.dialect == .posix && !script.bashisms(.waitOption).isEmpty)
  }

  @Test func trapForwardingIdiom() throws {
    let (_, script) = try fixture("trap-forwarding.sh")
    let trap = try #require(script.traps.first)
    #expect(trap.handles(.term) && trap.handles(.int))
    #expect(script.handlerCommands(of: trap).map(\.name) == ["kill", "wait"])
    #expect(script.backgroundPIDVariables.map(\.name) == ["child"])
    #expect(script.waits.last?.operands == [.variable("child", holdsBackgroundPID: true)])
    #expect(script.commands(of: script.backgroundJobs[0]).first?.runs("app") == true)
    #expect(script.enabledOptions == ["errexit", "nounset"])
    #expect(script.bashisms.isEmpty)
  }

  @Test func keepAliveLoop() throws {
    let (_, script) = try fixture("keepalive.sh")
    let loop = try #require(script.infiniteLoops.first)
    #expect(!loop.canExit)
    #expect(script.bodyCommands(of: loop).map(\.program) == ["sleep"])
    #expect(script.terminalCommands.map(\.program) == ["sleep"])
    #expect(script.terminalCommands[0].isInLoop)
    let daemonizing = script.invocations.filter {
      $0.program == "service" || $0.programPath?.hasPrefix("/etc/init.d/") == true || $0.program == "apachectl"
    }
    #expect(daemonizing.map { $0.argumentValues.last } == ["start", "start", "start"])
  }

  @Test func serviceStartThenTail() throws {
    let (_, script) = try fixture("service-tail.sh")
    let terminal = try #require(script.terminalCommands.first)
    #expect(terminal.program == "tail" && terminal.hasFlag("-f"))
    #expect(terminal.operatorBefore == .and)
    #expect(script.invocations.filter { $0.program == "service" }.count == 2)
  }
}
