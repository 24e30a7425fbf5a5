import Testing

@testable import DockerfileParser

/// The query API the rules use.
@Suite struct ShellQueryTests {
  func parse(_ code: String) -> ShellScript { ShellScript.parse(code, dialect: .bash) }
  func only(_ code: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ShellInvocation {
    let script = parse(code)
    #expect(script.diagnostics.isEmpty, "\(script.diagnostics)", sourceLocation: sourceLocation)
    return script.invocations[0]
  }

  // MARK: - Wrappers

  struct Wrapped: CustomTestStringConvertible, Sendable {
    let code: String
    let program: String?
    let arguments: [String]
    let wrappers: [String]
    let user: String?
    var testDescription: String { code }
  }

  static let wrapped: [Wrapped] = [
    Wrapped(
      code: "nginx -g 'daemon off;'", program: "nginx", arguments: ["-g", "daemon off;"], wrappers: [], user: nil),
    Wrapped(code: "/usr/sbin/nginx", program: "nginx", arguments: [], wrappers: [], user: nil),
    Wrapped(code: "exec nginx", program: "nginx", arguments: [], wrappers: ["exec"], user: nil),
    Wrapped(code: "exec -a myname app x", program: "app", arguments: ["x"], wrappers: ["exec"], user: nil),
    Wrapped(code: "exec -c -- app", program: "app", arguments: [], wrappers: ["exec"], user: nil),
    Wrapped(code: "command app", program: "app", arguments: [], wrappers: ["command"], user: nil),
    Wrapped(code: "command -v app", program: "command", arguments: ["-v", "app"], wrappers: [], user: nil),
    Wrapped(code: "nohup app &", program: "app", arguments: [], wrappers: ["nohup"], user: nil),
    Wrapped(code: "sudo -u www -E app -x", program: "app", arguments: ["-x"], wrappers: ["sudo"], user: "www"),
    Wrapped(code: "sudo --user=www HOME=/x app", program: "app", arguments: [], wrappers: ["sudo"], user: "www"),
    Wrapped(
      code: "su - postgres -c 'exec postgres -D /data'", program: "postgres", arguments: ["-D", "/data"],
      wrappers: ["su", "exec"], user: "postgres"),
    Wrapped(
      code: "su -c \"cd /app && exec node server.js\" node", program: "node", arguments: ["server.js"],
      wrappers: ["su", "exec"], user: "node"),
    Wrapped(code: "su postgres", program: "su", arguments: ["postgres"], wrappers: [], user: nil),
    Wrapped(code: "gosu postgres \"$@\"", program: nil, arguments: [], wrappers: ["gosu"], user: "postgres"),
    Wrapped(
      code: "exec gosu redis redis-server", program: "redis-server", arguments: [], wrappers: ["exec", "gosu"],
      user: "redis"),
    Wrapped(code: "su-exec app:app /app/bin", program: "bin", arguments: [], wrappers: ["su-exec"], user: "app:app"),
    Wrapped(code: "env -i PATH=/bin HOME=/ app a", program: "app", arguments: ["a"], wrappers: ["env"], user: nil),
    Wrapped(code: "env -u X -- app", program: "app", arguments: [], wrappers: ["env"], user: nil),
    Wrapped(
      code: "chpst -u www:www -o 1024 php-fpm -F", program: "php-fpm", arguments: ["-F"], wrappers: ["chpst"],
      user: "www"),
    Wrapped(code: "chpst -uapp app", program: "app", arguments: [], wrappers: ["chpst"], user: "app"),
    Wrapped(code: "s6-setuidgid abc nginx", program: "nginx", arguments: [], wrappers: ["s6-setuidgid"], user: "abc"),
    Wrapped(
      code: "setpriv --reuid=1000 --regid=1000 --init-groups app", program: "app", arguments: [], wrappers: ["setpriv"],
      user: "1000"),
    Wrapped(
      code: "setpriv --reuid app --clear-groups -- cmd", program: "cmd", arguments: [], wrappers: ["setpriv"],
      user: "app"),
    Wrapped(code: "runuser -u app -- cmd x", program: "cmd", arguments: ["x"], wrappers: ["runuser"], user: "app"),
    Wrapped(
      code: "runuser -l app -c 'exec cmd'", program: "cmd", arguments: [], wrappers: ["runuser", "exec"], user: "app"),
    Wrapped(code: "with-contenv nginx", program: "nginx", arguments: [], wrappers: ["with-contenv"], user: nil),
    Wrapped(code: "/sbin/tini -s -g -- app", program: "app", arguments: [], wrappers: ["tini"], user: nil),
    Wrapped(code: "tini -p SIGTERM -- app", program: "app", arguments: [], wrappers: ["tini"], user: nil),
    Wrapped(
      code: "dumb-init --single-child -r 15:3 app", program: "app", arguments: [], wrappers: ["dumb-init"], user: nil),
    Wrapped(code: "stdbuf -oL -e 0 app", program: "app", arguments: [], wrappers: ["stdbuf"], user: nil),
    Wrapped(code: "timeout -s KILL 30 app x", program: "app", arguments: ["x"], wrappers: ["timeout"], user: nil),
    Wrapped(code: "nice -n 10 app", program: "app", arguments: [], wrappers: ["nice"], user: nil),
    Wrapped(code: "ionice -c 3 app", program: "app", arguments: [], wrappers: ["ionice"], user: nil),
    Wrapped(
      code: "exec nice ionice -c2 -n7 gosu app tini -- app", program: "app", arguments: [],
      wrappers: ["exec", "nice", "ionice", "gosu", "tini"], user: "app"),
    Wrapped(
      code: "capsh --user=pihole --keep=1 -- -c '/usr/bin/pihole-FTL no-daemon'", program: "pihole-FTL",
      arguments: ["no-daemon"], wrappers: ["capsh"], user: "pihole"),
    Wrapped(code: "busybox crond -f", program: "crond", arguments: ["-f"], wrappers: ["busybox"], user: nil),
    Wrapped(code: "sh -c 'exec nginx'", program: "sh", arguments: ["-c", "exec nginx"], wrappers: [], user: nil),
  ]

  @Test(arguments: wrapped) func resolvesWrappers(_ example: Wrapped) {
    let command = only(example.code)
    #expect(command.program == example.program)
    #expect(command.argumentValues == example.arguments)
    #expect(command.wrappers.map(\.name) == example.wrappers)
    #expect(command.user == example.user)
  }

  @Test func execDetails() {
    #expect(only("exec nginx").isExec)
    #expect(only("exec nginx").execsProgram)
    #expect(!only("nginx").isExec)
    let redirect = only("exec >/proc/1/fd/1 2>&1")
    #expect(redirect.isExec && !redirect.execsProgram && redirect.programWord == nil)
    #expect(only("exec gosu app \"$@\"").runsArguments)
    #expect(only("exec \"$@\"").runsArguments)
    // the `exec` inside `su -c` does not make the outer command an exec
    #expect(!only("su app -c 'exec x'").isExec)
  }

  @Test func embeddedScripts() throws {
    let shell = only("sh -c 'cron && exec nginx -g \"daemon off;\"'")
    let inner = try #require(shell.embeddedScript)
    #expect(inner.invocations.map(\.program) == ["cron", "nginx"])
    #expect(inner.terminalCommands.map(\.program) == ["nginx"])
    #expect(inner.terminalCommands[0].argument(after: "-g")?.literalValue == "daemon off;")
    let code = "bash -ec 'sleep 1 & wait -n'"
    let bash = parse(code).invocations[0]
    let embedded = try #require(bash.embeddedScript)
    #expect(embedded.dialect == .bash)
    #expect(embedded.waits.first?.waitsForAny == true)
    // ranges inside the string point into the original code
    let sleep = embedded.invocations[0]
    #expect(ShellTestSupport.text(code, sleep.range) == "sleep 1")
    #expect(only("su app -c \"$CMD\"").embeddedScript == nil)
  }

  @Test func outputsHeredocsAndExecInsertion() {
    let finish = only("echo \"$1\" > /run/s6-linux-init-container-results/exitcode 2>&1")
    #expect(finish.outputTargets == ["/run/s6-linux-init-container-results/exitcode"])
    let writer = parse("cat > /entrypoint.sh <<'EOF'\n#!/bin/sh\nexec nginx\nEOF\n").invocations[0]
    #expect(writer.outputTargets == ["/entrypoint.sh"])
    #expect(writer.heredocs.map(\.bodyText) == ["#!/bin/sh\nexec nginx\n"])
    #expect(only("app &> /var/log/app.log").outputTargets == ["/var/log/app.log"])
    let code = "A=1 B=2 app --port 80"
    #expect(only(code).execInsertionOffset == 8)
    #expect(only("exec app").execInsertionOffset == nil)
  }

  @Test func flagsAndArguments() {
    let nginx = only("nginx -g 'daemon off;' -c /etc/nginx.conf")
    #expect(nginx.hasFlag("-g"))
    #expect(!nginx.hasFlag("-t"))
    #expect(nginx.argument(after: "-g")?.literalValue == "daemon off;")
    #expect(nginx.value(ofOption: "-c") == "/etc/nginx.conf")
    #expect(nginx.argument(at: 0)?.literalValue == "-g")
    let memcached = only("memcached -dv -u nobody")
    #expect(memcached.hasFlag("-d"))
    #expect(memcached.hasFlag("-v"))
    let redis = only("redis-server --daemonize yes --port=6379")
    #expect(redis.value(ofOption: "--daemonize") == "yes")
    #expect(redis.value(ofOption: "--port") == "6379")
    #expect(redis.hasFlag("--port"))
    let after = only("app -- -d")
    #expect(!after.hasFlag("-d"))
    #expect(only("httpd -DFOREGROUND").hasArgument("-DFOREGROUND"))
    #expect(only("service nginx start").argumentValues == ["nginx", "start"])
    #expect(only("/etc/init.d/ssh start").programPath == "/etc/init.d/ssh")
    #expect(only("exec /usr/sbin/sshd -D").runs("sshd", "dropbear"))
  }

  // MARK: - Background and context

  @Test func backgroundJobsAndWaitN() {
    let script = parse("a & b & wait -n")
    #expect(script.backgroundJobs.count == 2)
    #expect(script.backgroundJobs.map(\.listIndex) == [0, 1])
    #expect(script.backgroundJobs.allSatisfy { $0.listCount == 3 && $0.isInMainPath && $0.kind == .simpleCommand })
    #expect(script.invocations.filter(\.isBackground).map(\.name) == ["a", "b"])
    #expect(script.waits.count == 1)
    #expect(script.waits[0].waitsForAny)
    #expect(script.terminalCommands.map(\.name) == ["wait"])
    #expect(script.bashisms(.waitOption).count == 1)
  }

  @Test func backgroundedCompounds() {
    let script = parse(
      "( cd /x && ./worker ) &\n{ sleep 5; cleanup; } &\nproducer | consumer &\nwhile :; do tick; done &\nmain")
    #expect(script.backgroundJobs.map(\.kind) == [.subshell, .braceGroup, .pipeline, .compound])
    #expect(script.commands(of: script.backgroundJobs[0]).map(\.name) == ["cd", "./worker"])
    #expect(script.commands(of: script.backgroundJobs[1]).map(\.name) == ["sleep", "cleanup"])
    #expect(script.invocations.filter(\.isBackground).count == 8)
    #expect(script.invocations.last?.isBackground == false)
    #expect(script.invocations.first { $0.name == "consumer" }?.backgroundJob == 2)
  }

  @Test func backgroundFunctionCallsAreFollowed() {
    let script = parse("start_web() {\n  nginx -g 'daemon off;'\n}\nstart_web &\nwait")
    let job = script.backgroundJobs[0]
    #expect(script.commands(of: job).map(\.program) == ["start_web", "nginx"])
    #expect(script.waits[0].waitsForAll)
  }

  @Test func contextFlags() {
    let code = """
      f() { inner; }
      while true; do looped; done
      if cond; then then_branch; fi
      ( sub )
      x=$(substituted)
      a | b
      c && d || e
      ! negated
      """
    let script = parse(code)
    func find(_ name: String) -> ShellInvocation { script.invocations.first { $0.name == name }! }
    #expect(find("inner").functionName == "f")
    #expect(find("inner").isInFunction)
    #expect(find("looped").isInLoop)
    #expect(find("true").isInCondition && find("true").isInLoop)
    #expect(find("cond").isInCondition)
    #expect(!find("then_branch").isInCondition)
    #expect(find("sub").isInSubshell)
    #expect(find("substituted").isInCommandSubstitution)
    #expect(find("a").isInPipeline && find("b").pipelineIndex == 1 && find("b").pipelineCount == 2)
    #expect(find("c").operatorAfter == .and)
    #expect(find("d").operatorBefore == .and && find("d").operatorAfter == .or)
    #expect(find("e").operatorBefore == .or)
    #expect(find("negated").isNegated && find("negated").isTested)
    #expect(find("looped").isInMainPath)
    #expect(!find("inner").isInMainPath)
    #expect(!find("sub").isInMainPath)
    #expect(!find("a").isInMainPath)
    #expect(find("c").isInMainPath && find("e").isInMainPath)
  }

  @Test func enclosingRedirections() {
    let script = parse("{ a; b; } >/var/log/x 2>&1")
    #expect(script.invocations[0].enclosingRedirections.map(\.op) == [.output, .duplicateOutput])
  }

  // MARK: - Terminal commands

  struct Terminal: CustomTestStringConvertible, Sendable {
    let code: String
    let terminals: [String]
    var testDescription: String { code }
  }

  static let terminals: [Terminal] = [
    Terminal(code: "nginx", terminals: ["nginx"]),
    Terminal(code: "setup; exec nginx", terminals: ["exec nginx"]),
    Terminal(code: "exec nginx; echo unreachable", terminals: ["exec nginx"]),
    Terminal(code: "cron && exec nginx -g 'daemon off;'", terminals: ["exec nginx -g 'daemon off;'"]),
    Terminal(code: "service x start && tail -f /dev/null", terminals: ["tail -f /dev/null"]),
    Terminal(code: "wait -n || true", terminals: ["wait -n", "true"]),
    Terminal(code: "a || b && c", terminals: ["c"]),
    Terminal(code: "if [ \"$1\" = web ]; then exec web; else exec worker; fi", terminals: ["exec web", "exec worker"]),
    Terminal(code: "if [ -n \"$X\" ]; then exec a; fi\nexec b", terminals: ["exec a", "exec b"]),
    Terminal(
      code: "case \"$1\" in\n  web) gunicorn app ;;\n  *) exec \"$@\" ;;\nesac",
      terminals: ["gunicorn app", "exec \"$@\""]),
    Terminal(code: "main() { prepare; exec app; }\nmain \"$@\"", terminals: ["exec app"]),
    Terminal(code: "run() { app; }\nrun\necho done", terminals: ["echo done"]),
    Terminal(code: "a & b &", terminals: ["b"]),
    Terminal(code: "start() { nginx; }\nstart &", terminals: ["start"]),
    Terminal(code: "a & b", terminals: ["b"]),
    Terminal(code: "a &\nwait -n\nexit $?", terminals: ["exit $?"]),
    Terminal(code: "( exec a )", terminals: ["exec a"]),
    Terminal(code: "{ a; b; }", terminals: ["b"]),
    Terminal(code: "while true; do sleep 1; done", terminals: ["sleep 1"]),
    Terminal(code: "x | y", terminals: ["y"]),
    Terminal(code: "f() { f; }\nf", terminals: ["f"]),
    Terminal(code: "if exec a; then :; fi", terminals: ["exec a", ":"]),
    Terminal(code: "exec >log 2>&1\napp", terminals: ["app"]),
  ]

  @Test(arguments: terminals) func terminalCommands(_ example: Terminal) {
    let script = parse(example.code)
    #expect(script.diagnostics.isEmpty)
    let texts = script.terminalCommands.map { ShellTestSupport.text(example.code, $0.range) }
    #expect(texts == example.terminals)
  }

  @Test func commandsAfter() {
    let script = parse("a & b &\nwait -n\necho done\nexit 0")
    let wait = script.waits[0].invocation
    #expect(script.commands(after: wait).map(\.name) == ["echo", "exit"])
    let orTrue = parse("wait -n || true")
    let following = orTrue.commands(after: orTrue.invocations[0])
    #expect(following.map(\.name) == ["true"])
    #expect(following[0].operatorBefore == .or)
    let branches = parse("if x; then wait -n; else other; fi; last")
    let inThen = branches.invocations.first { $0.name == "wait" }!
    #expect(branches.commands(after: inThen).map(\.name) == ["last"])
    let functions = parse("wait -n\nf() { later; }\nexit $?")
    #expect(functions.commands(after: functions.invocations[0]).map(\.name) == ["exit"])
    let callers = parse("main() {\n  a & b &\n  wait -n\n}\nmain\nexit $?")
    let waitInMain = callers.waits[0].invocation
    #expect(callers.commands(after: waitInMain).map(\.name) == ["exit"])
    let pipe = parse("a | b")
    #expect(pipe.commands(after: pipe.invocations[0]).isEmpty)
  }

  // MARK: - Traps, waits, PIDs

  @Test func trapsAndSignals() throws {
    let script = parse(
      """
      cleanup() { kill -TERM "$pid"; wait "$pid"; }
      trap cleanup SIGINT SIGTERM
      trap 'kill $(jobs -p); exit 0' TERM INT EXIT
      trap "echo bye" 15 0
      trap '' HUP
      trap - USR1
      trap QUIT
      trap -p
      """)
    let traps = script.traps
    #expect(traps.count == 7)
    #expect(traps[0].signals == [.int, .term])
    #expect(traps[0].action == .command("cleanup"))
    #expect(script.handlerCommands(of: traps[0]).map(\.name) == ["kill", "wait"])
    #expect(traps[1].signals == [.term, .int, .exit])
    #expect(traps[1].handles(.term))
    let action = try #require(traps[1].actionScript)
    #expect(action.invocations.map(\.name) == ["kill", "jobs", "exit"])
    #expect(traps[2].signals == [.term, .exit])
    #expect(traps[2].actionScript?.invocations.first?.name == "echo")
    #expect(traps[3].action == .ignore && traps[3].signals == [.hup])
    #expect(!traps[3].handles(.hup))
    #expect(traps[4].action == .reset && traps[4].signals == [.usr1])
    #expect(traps[5].action == .reset && traps[5].signals == [.quit])
    #expect(traps[6].action == .print)
    #expect(ShellSignal(parsing: "sigterm") == .term)
    #expect(ShellSignal(parsing: "9") == .kill)
    #expect(ShellSignal(parsing: "CLD") == .chld)
    #expect(ShellSignal.term.number == 15)
  }

  @Test func trapWithDoubleQuotedExpansionIsParsed() throws {
    let script = parse("app & pid=$!\ntrap \"kill -TERM $pid\" TERM\nwait $pid")
    let action = try #require(script.traps[0].actionScript)
    #expect(action.invocations[0].name == "kill")
    #expect(action.invocations[0].argumentValues == ["-TERM", nil])
  }

  @Test func waitsAndPIDVariables() {
    let script = parse(
      """
      a & A_PID=$!
      b &
      local b_pid=$!
      pids+=($!)
      export C="$!"
      wait $A_PID
      wait "$b_pid" $!
      wait -n -p done_pid
      wait -fn
      wait %1 1234 $(cat pidfile)
      wait "${pids[@]}"
      wait
      """)
    #expect(script.backgroundPIDVariables.map(\.name) == ["A_PID", "b_pid", "pids", "C"])
    let waits = script.waits
    #expect(waits.count == 7)
    #expect(waits[0].operands == [.variable("A_PID", holdsBackgroundPID: true)])
    #expect(waits[1].operands == [.variable("b_pid", holdsBackgroundPID: true), .lastBackgroundPID])
    #expect(waits[2].waitsForAny && waits[2].pidVariable == "done_pid" && waits[2].operands.isEmpty)
    #expect(waits[3].waitsForAny && waits[3].waitsForTermination)
    #expect(waits[4].operands == [.job("%1"), .literal("1234"), .other("$(cat pidfile)")])
    #expect(waits[5].operands == [.variable("pids", holdsBackgroundPID: true)])
    #expect(waits[6].waitsForAll)
    #expect(!waits[0].waitsForAll)
  }

  // MARK: - Arguments, loops, options

  @Test func scriptArguments() {
    let script = parse(
      """
      _main() {
        if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
        exec "$@"
      }
      helper() { echo "$@"; }
      for arg; do :; done
      for a in "$@"; do :; done
      _main "$@"
      """)
    let usages = script.argumentUsages
    #expect(usages.count == 5)
    #expect(usages.map(\.functionName) == ["_main", "_main", "helper", nil, nil])
    #expect(usages[3].invocationIndex == nil)
    #expect(usages.filter(\.isProgram).count == 1)
    #expect(usages.allSatisfy { $0.isQuoted })
    #expect(script.usesScriptArguments)
    #expect(script.functionsReceivingScriptArguments == ["_main"])
    #expect(script.commandsRunningScriptArguments.map(\.functionName) == ["_main"])
    #expect(parse("exec nginx").commandsRunningScriptArguments.isEmpty)
    #expect(!parse("f() { exec \"$@\"; }\nf nginx").usesScriptArguments)
    #expect(parse("f() { exec \"$@\"; }\nf nginx").commandsRunningScriptArguments.isEmpty)
  }

  @Test func infiniteLoops() {
    let script = parse(
      """
      while true; do sleep 60; done
      while :; do sleep 1; done
      while [ 1 ]; do x; done
      while sleep 3600; do :; done
      until false; do y; done
      for ((;;)); do z; done
      while [ -f /tmp/run ]; do w; done
      for i in 1 2; do v; done
      while ! false; do u; done
      while (( 1 )); do t; done
      """)
    #expect(script.loops.count == 10)
    #expect(script.loops.map(\.isInfinite) == [true, true, true, true, true, true, false, false, true, true])
    #expect(script.bodyCommands(of: script.infiniteLoops[0]).map(\.name) == ["sleep"])
    #expect(script.invocations.first { $0.name == "x" }?.loopIndices == [2])
  }

  @Test func loopExits() {
    let script = parse(
      """
      while true; do case $1 in --) shift; break ;; esac; done
      while true; do sleep 1; done
      while :; do for f in *; do break; done; done
      while :; do for f in *; do break 2; done; done
      while :; do ( exit 1 ); done
      while :; do check || exit 1; sleep 5; done
      while :; do exec app; done
      """)
    #expect(script.loops.filter { $0.kind == .while }.map(\.canExit) == [true, false, false, true, false, true, true])
  }

  @Test func programNameFromAPartlyLiteralWord() {
    #expect(only("$NO_VNC_HOME/utils/novnc_proxy --vnc x").program == "novnc_proxy")
    #expect(only("${NODEJS_DIR}/bin/node app.js").program == "node")
    #expect(only("${NODEJS_DIR}/bin/node app.js").programPath == nil)
    #expect(only("$APP").program == nil)
    #expect(only("\"$DIR\"/run").program == "run")
  }

  @Test func s6AndExeclineHelpers() {
    #expect(only("fdmove -c 2 1 /usr/sbin/cron -f").program == "cron")
    #expect(only("s6-notifyoncheck -d -n 300 nginx").program == "nginx")
    #expect(only("s6-applyuidgid -u 1000 -g 1000 app").user == "1000")
  }

  @Test func shellOptions() {
    let script = ShellScript.parse(
      file: SourceFile(path: "s", text: "#!/bin/bash -e\nset -uo pipefail\nset +u\nset -- a b\n"))
    #expect(script.optionSettings.count == 2)
    #expect(script.optionSettings[0].enabled == ["nounset", "pipefail"])
    #expect(script.enabledOptions == ["errexit", "pipefail"])
    #expect(parse("set -Eeuxo pipefail").enabledOptions == ["errtrace", "errexit", "nounset", "xtrace", "pipefail"])
  }

  @Test func functionsAndCalls() {
    let script = parse("a() { b; }\nb() { :; }\na\na")
    #expect(script.functions.map(\.name) == ["a", "b"])
    #expect(script.function(named: "a")?.callIndices.count == 2)
    #expect(script.function(named: "b")?.callIndices.count == 1)
    #expect(script.expandingFunctionCalls([script.invocations[3]]).map(\.name) == ["a", "b", ":"])
  }

  // MARK: - Exec form

  @Test func soleCommand() {
    #expect(parse("nginx -g 'daemon off;'").soleCommand?.program == "nginx")
    #expect(parse("A=1 exec app >log 2>&1").soleCommand?.program == "app")
    #expect(parse("a; b").soleCommand == nil)
    #expect(parse("a | b").soleCommand == nil)
    #expect(parse("a &").soleCommand == nil)
    #expect(parse("app $(id -u)").soleCommand == nil)
    #expect(parse("{ app; }").soleCommand == nil)
  }

  @Test func execArguments() {
    #expect(parse("nginx -g 'daemon off;'").execArguments == ["nginx", "-g", "daemon off;"])
    #expect(parse("exec /app/run --port 80").execArguments == ["/app/run", "--port", "80"])
    #expect(parse("\"/app/my app\" x").execArguments == ["/app/my app", "x"])
    #expect(parse("app $PORT").execArguments == nil)
    #expect(parse("app > log").execArguments == nil)
    #expect(parse("A=1 app").execArguments == nil)
    #expect(parse("a && b").execArguments == nil)
    #expect(parse("app *.conf").execArguments == nil)
    #expect(parse("app &").execArguments == nil)
    #expect(parse("cd /x").execArguments == nil)
  }

  // MARK: - Shebang

  struct Shebang: CustomTestStringConvertible, Sendable {
    let line: String
    let interpreter: String
    let dialect: ShellDialect
    let launchers: [String]
    let arguments: [String]
    var testDescription: String { line }
  }

  static let shebangs: [Shebang] = [
    Shebang(line: "#!/bin/sh", interpreter: "sh", dialect: .posix, launchers: [], arguments: []),
    Shebang(line: "#! /bin/sh", interpreter: "sh", dialect: .posix, launchers: [], arguments: []),
    Shebang(line: "#!/bin/bash", interpreter: "bash", dialect: .bash, launchers: [], arguments: []),
    Shebang(line: "#!/bin/bash -ex", interpreter: "bash", dialect: .bash, launchers: [], arguments: ["-ex"]),
    Shebang(
      line: "#!/usr/bin/env bash", interpreter: "bash", dialect: .bash, launchers: ["/usr/bin/env"], arguments: []),
    Shebang(
      line: "#!/usr/bin/env -S bash -e", interpreter: "bash", dialect: .bash, launchers: ["/usr/bin/env"],
      arguments: ["-e"]),
    Shebang(line: "#!/bin/ash", interpreter: "ash", dialect: .posix, launchers: [], arguments: []),
    Shebang(line: "#!/bin/dash", interpreter: "dash", dialect: .posix, launchers: [], arguments: []),
    Shebang(
      line: "#!/usr/bin/with-contenv bash", interpreter: "bash", dialect: .bash, launchers: ["/usr/bin/with-contenv"],
      arguments: []),
    Shebang(
      line: "#!/usr/bin/with-contenv sh", interpreter: "sh", dialect: .posix, launchers: ["/usr/bin/with-contenv"],
      arguments: []),
    Shebang(
      line: "#!/command/with-contenv bash", interpreter: "bash", dialect: .bash, launchers: ["/command/with-contenv"],
      arguments: []),
    Shebang(
      line: "#!/usr/bin/with-contenv bashio", interpreter: "bashio", dialect: .bash,
      launchers: ["/usr/bin/with-contenv"], arguments: []),
    Shebang(
      line: "#!/usr/bin/dumb-init /bin/bash", interpreter: "bash", dialect: .bash, launchers: ["/usr/bin/dumb-init"],
      arguments: []),
    Shebang(
      line: "#!/command/execlineb -P", interpreter: "execlineb", dialect: .execline, launchers: [], arguments: ["-P"]),
    Shebang(line: "#!/usr/bin/execlineb", interpreter: "execlineb", dialect: .execline, launchers: [], arguments: []),
    Shebang(line: "#!/bin/busybox sh", interpreter: "sh", dialect: .posix, launchers: [], arguments: []),
    Shebang(
      line: "#!/usr/bin/env python3", interpreter: "python3", dialect: .other, launchers: ["/usr/bin/env"],
      arguments: []),
  ]

  @Test(arguments: shebangs) func shebangLines(_ example: Shebang) {
    let script = ShellScript.parse(file: SourceFile(path: "run", text: example.line + "\nforeground { echo hi }\n"))
    let shebang = script.shebang
    #expect(shebang?.interpreter == example.interpreter)
    #expect(shebang?.dialect == example.dialect)
    #expect(shebang?.launchers == example.launchers)
    #expect(shebang?.arguments == example.arguments)
    #expect(script.dialect == example.dialect)
    #expect(script.diagnostics.isEmpty)
    if example.dialect == .execline || example.dialect == .other {
      #expect(script.body.isEmpty && !script.isShell)
    } else {
      #expect(!script.body.isEmpty && script.isShell)
    }
  }

  @Test func scriptInsideADockerfileHeredoc() {
    // COPY <<EOF /entrypoint.sh — the body starts at offset 100 of the Dockerfile
    let script = ShellScript.parseScript(MappedText(bytes: Array("#!/bin/bash\nexec app\n".utf8), verbatimFrom: 100))
    #expect(script.shebang?.interpreter == "bash")
    #expect(script.shebang?.range == SourceRange(start: 100, end: 111))
    #expect(script.terminalCommands.first?.range == SourceRange(start: 112, end: 120))
  }

  @Test func noShebangUsesTheDefaultDialect() {
    let file = SourceFile(path: "run", text: "#/bin/bash\necho hi\n")
    #expect(ShellScript.parse(file: file).shebang == nil)
    #expect(ShellScript.parse(file: file, defaultDialect: .bash).dialect == .bash)
    #expect(ShellScript.parse(file: SourceFile(path: "x", text: "#!/bin/bash -e\n")).shebang?.enablesErrexit == true)
  }
}
