import Foundation
import Testing

/// Procfile parsing and argument checking, through `dockadvise-init --check` and real runs that must fail
/// with status 2 before starting anything.
@Suite struct InitProcfileParsingTests {
  /// Runs the init (not as PID 1) on a Procfile with `text`; its status and output.
  private func check(_ text: String, _ arguments: [String] = ["--check"]) throws -> (status: Int32, output: String) {
    let initPath = try InitHarness.initPath()
    let directory = InitHarness.scratch()
    let procfile = InitRun.file(in: directory, "Procfile", text)
    return InitHarness.runToEnd([initPath] + arguments + ["--procfile", procfile])
  }

  private let defaults = "restart=never max-restarts=unlimited backoff=100ms..30000ms stop-signal=default"

  @Test func commentsBlankLinesCRLFTabsAndColonsInCommands() throws {
    let result = try check(
      "\u{FEFF}# a comment\r\n\r\n   \r\nweb:\tbundle exec puma -b tcp://0.0.0.0:3000\r\n  # indented comment\nworker:sidekiq   \n  clock: ./clock.sh --at 12:00"
    )
    #expect(result.status == 0, "\(result.output)")
    #expect(
      result.output == """
        grace=5000ms prefix
        web service \(defaults): exec bundle exec puma -b tcp://0.0.0.0:3000
        worker service \(defaults): exec sidekiq
        clock service \(defaults): exec ./clock.sh --at 12:00

        """)
  }

  @Test func markersAndFlagsSetServiceOptions() throws {
    let procfile = """
      # dockadvise-init: migrate oneshot
      #dockadvise-init: web main stop-signal=QUIT
      # dockadvise-init: worker restart=on-failure max-restarts=5 backoff=1s backoff-max=1m
      # dockadvise-init: worker stop-signal=SIGRTMIN+3
      migrate: ./manage.py migrate
      web: gunicorn app
      worker: celery worker
      cron: cron -f

      """
    let result = try check(
      procfile, ["--check", "--grace", "2.5s", "--restart", "cron=on-failure", "--opt", "migrate backoff=250ms"])
    #expect(result.status == 0, "\(result.output)")
    #expect(
      result.output == """
        grace=2500ms prefix
        migrate oneshot restart=never max-restarts=unlimited backoff=250ms..30000ms stop-signal=default: exec ./manage.py migrate
        web main restart=never max-restarts=unlimited backoff=100ms..30000ms stop-signal=SIGQUIT: exec gunicorn app
        worker service restart=on-failure max-restarts=5 backoff=1000ms..60000ms stop-signal=SIGRTMIN+3: exec celery worker
        cron service restart=on-failure max-restarts=unlimited backoff=100ms..30000ms stop-signal=default: exec cron -f

        """)
  }

  @Test func mainFlagMakesTheOthersRestartAlways() throws {
    let result = try check("a: x\nb: y\n", ["--check", "--main", "b", "--oneshot", "a"])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("a oneshot restart=never"))
    #expect(result.output.contains("b main restart=never"))
    let plain = try check("a: x\nb: y\nc: z\n", ["--check", "--main=c"])
    #expect(plain.output.contains("a service restart=always"))
    #expect(plain.output.contains("b service restart=always"))
  }

  @Test(arguments: [
    ("web: node app.js > /var/log/app 2>&1", "exec node app.js > /var/log/app 2>&1"),
    ("web: FOO=1 node app.js # comment; not a list", "FOO=1 exec node app.js # comment; not a list"),
    ("web: A=1 B='x y' C=\"$D e\" node", "A=1 B='x y' C=\"$D e\" exec node"),
    ("web: A=1", "A=1"),
    ("web: A=1 cd /app", "A=1 cd /app"),
    ("web: echo 'a;b' \"c|d\" $(date +%s;)", "exec echo 'a;b' \"c|d\" $(date +%s;)"),
    ("web: cd /app && node app.js", "cd /app && node app.js"),
    ("web: a | b", "a | b"),
    ("web: a; b", "a; b"),
    ("web: a & b", "a & b"),
    ("web: (a)", "(a)"),
    ("web: exec nginx -g 'daemon off;'", "exec nginx -g 'daemon off;'"),
    ("web: if true; then a; fi", "if true; then a; fi"),
  ])
  func commandsRunWithExecWhenThatIsSafe(line: String, script: String) throws {
    let result = try check(line + "\n")
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.hasSuffix(": " + script + "\n"), "\(result.output)")
  }

  @Test(arguments: [
    ("web node app", "Procfile:1: expected 'name: command'"),
    ("# ok\nweb.1: node app", "Procfile:2: expected 'name: command'"),
    (": node", "Procfile:1: expected 'name: command'"),
    ("web: a\nweb: b", "Procfile:2: service 'web' is defined twice"),
    ("web:   \n", "Procfile:1: service 'web' has no command"),
    ("# only comments\n\n", "Procfile: no services"),
    ("", "Procfile: no services"),
    ("web: a\n# dockadvise-init: wbe main", "Procfile:2: no service 'wbe' in the Procfile"),
    ("web: a\n# dockadvise-init: web restart=sometimes", "Procfile:2: bad option 'restart=sometimes' for web"),
    ("web: a\n# dockadvise-init: web stop-signal=NOPE", "bad option 'stop-signal=NOPE'"),
    ("web: a\n# dockadvise-init: web backoff=soon", "bad option 'backoff=soon'"),
    ("web: a\n# dockadvise-init: web max-restarts=-1", "bad option 'max-restarts=-1'"),
    ("web: a\n#   dockadvise-init:", "Procfile:2: 'dockadvise-init:' needs a service name and options"),
    ("a: x\nb: y\n# dockadvise-init: a main\n# dockadvise-init: b main", "more than one main service: a and b"),
    ("a: x\n# dockadvise-init: a main oneshot", "'a' cannot be both main and oneshot"),
    ("a: x\n# dockadvise-init: a oneshot restart=always", "oneshot 'a' cannot restart=always"),
  ])
  func invalidProcfilesExitTwo(text: String, message: String) throws {
    let result = try check(text)
    #expect(result.status == 2)
    #expect(result.output.contains("dockadvise-init: "), "\(result.output)")
    // Messages name the file as given: strip the scratch directory.
    let output = result.output.replacingOccurrences(
      of: #"/[^ ']*/Procfile"#, with: "Procfile", options: .regularExpression)
    #expect(output.contains(message), "\(output)")
  }

  @Test(
    arguments: [
      (["--bogus"], "unknown option '--bogus'"),
      (["--grace", "soon", "--", "true"], "--grace: 'soon' is not a duration"),
      (["--grace"], "option '--grace' needs a value"),
      (["-e", "300", "--", "true"], "-e: '300' is not an exit code"),
      (["-p", "SIGNOPE", "--", "true"], "-p: unknown signal 'SIGNOPE'"),
      ([], "nothing to run"),
      (["--"], "nothing to run"),
      (
        ["--procfile", "/nonexistent/Procfile"],
        "cannot read Procfile '/nonexistent/Procfile': No such file or directory"
      ),
      (["--procfile", "/"], "cannot read Procfile '/': Is a directory"),
      (["--main", "web", "--", "true"], "need --procfile"),
      (["--restart", "web", "--procfile", "/etc/hostname"], "option '--restart' expects NAME=VALUE"),
    ] as [([String], String)])
  func badArgumentsExitTwo(arguments: [String], message: String) throws {
    let initPath = try InitHarness.initPath()
    let result = InitHarness.runToEnd([initPath] + arguments)
    #expect(result.status == 2, "\(result.output)")
    #expect(result.output.hasPrefix("dockadvise-init: "), "\(result.output)")
    #expect(result.output.contains(message), "\(result.output)")
  }
  /// `docker run IMAGE COMMAND` under `ENTRYPOINT ["dockadvise-init", "--procfile", FILE]`: the command
  /// runs instead of the Procfile (which is not even read) and its status is the init's.
  @Test func aCommandAfterTheProcfileRunsInstead() throws {
    let initPath = try InitHarness.initPath()
    let direct = InitHarness.runToEnd([initPath, "--procfile", "/nonexistent/Procfile", "sh", "-c", "echo override; exit 7"])
    #expect(direct.status == 7, "\(direct.output)")
    #expect(direct.output.contains("override"), "\(direct.output)")
    let separated = InitHarness.runToEnd([initPath, "--procfile", "/nonexistent/Procfile", "--main", "web", "--", "true"])
    #expect(separated.status == 0, "\(separated.output)")
  }


  @Test func aBadLineStopsEverythingBeforeAnyServiceStarts() throws {
    let directory = InitHarness.scratch()
    InitRun.file(in: directory, "Procfile", "first: touch \(directory)/started\nsecond: sleep 1\nthird is broken\n")
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 2)
    #expect(run.stderr.contains("Procfile:3: expected 'name: command'"))
    usleep(200_000)
    #expect(!FileManager.default.fileExists(atPath: directory + "/started"))
  }

  @Test func helpAndVersion() throws {
    let initPath = try InitHarness.initPath()
    let version = InitHarness.runToEnd([initPath, "--version"])
    #expect(version.status == 0 && version.output == "dockadvise-init 0.1.0\n")
    let help = InitHarness.runToEnd([initPath, "--help"])
    #expect(help.status == 0 && help.output.hasPrefix("usage: dockadvise-init [OPTIONS] [--] COMMAND [ARG...]"))
    let tiniFlags = InitHarness.runToEnd([initPath, "-s", "-g", "-w", "--check", "--", "true"])
    #expect(tiniFlags.status == 0, "\(tiniFlags.output)")
  }
}
