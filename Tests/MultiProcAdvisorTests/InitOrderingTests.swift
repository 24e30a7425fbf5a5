import Foundation
import Testing

/// `after=`, `ready=`, stop order and `user=`/`workdir=`/`env=`: dockadvise-init as PID 1 of a new PID namespace.
@Suite struct InitOrderingTests {
  private func setUp(_ procfile: String, scripts: [String: String]) -> String {
    let directory = InitHarness.scratch()
    for (name, body) in scripts { InitRun.script(in: directory, name, body) }
    // The init does not expand variables in options: $DIR is the scratch directory.
    InitRun.file(in: directory, "Procfile", procfile.replacingOccurrences(of: "$DIR", with: directory))
    return directory
  }

  /// A free TCP port on 127.0.0.1 (bound, then released).
  private func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// A listener on 127.0.0.1:PORT that logs `NAME listening` just before it accepts connections.
  private func listener(_ name: String, port: Int, delay: String) throws -> String {
    guard let python = InitHarness.executable(named: "python3") else {
      print("◇ skipping: python3 is not installed (the test's TCP listener)")
      try Test.cancel("python3 is not installed")
    }
    return InitServices.prelude + """
      trap 'ev \(name) TERM; exit 0' TERM
      sleep \(delay)
      ev \(name) listening
      exec \(python) -c 'import socket,time
      s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind(("127.0.0.1", \(port))); s.listen(8); time.sleep(60)'
      """
  }

  @Test func aServiceStartsOnlyAfterItsDependencyListens() throws {
    let port = freePort()
    let directory = setUp(
      """
      # dockadvise-init: app after=db
      # dockadvise-init: db ready=tcp:\(port) ready-interval=50ms
      app: $T/app
      db: $T/db

      """,
      scripts: [
        "db": try listener("db", port: port, delay: "0.6"),
        // The app checks for itself that the port accepts connections when it starts.
        "app": InitServices.prelude + """
          if python3 -c 'import socket; socket.create_connection(("127.0.0.1", \(port)))'; then ev app saw db; fi
          ev app started
          exit 4
          """,
      ])
    let run = try InitRun(["-v", "--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 4, "the app's status; stderr: \(run.stderr)")
    let events = run.events
    let listening = try #require(events.firstIndex(of: "db listening"), "events: \(events)")
    let started = try #require(events.firstIndex(of: "app started"), "events: \(events)")
    #expect(listening < started, "events: \(events)")
    #expect(events.contains("app saw db"), "the port accepted connections when the app started: \(events)")
    #expect(run.stderr.contains("dockadvise-init: db is ready"), "stderr: \(run.stderr)")
    #expect(run.stderr.contains("dockadvise-init: db was killed by SIGTERM"), "stopped after the app: \(run.stderr)")
  }

  /// The Procfile `fix --strategy swift-init` writes for a script that waits for MySQL and then for the
  /// app's port (Fixtures/fix/swift-init-wait-loops), run with stand-ins for mysqld and the worker.
  @Test func theFixedWaitLoopsRunInOrder() throws {
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/fix/swift-init-wait-loops/expected/dockadvise/Procfile")
    let port = freePort()
    let procfile = try String(contentsOf: golden, encoding: .utf8)
      .replacingOccurrences(of: "mysqladmin ping", with: "$T/mysqladmin ping")
      .replacingOccurrences(of: "mysqld: mysqld", with: "mysqld: $T/mysqld")
      .replacingOccurrences(of: "8000", with: "\(port)")
      .replacingOccurrences(of: "--directory /srv/app", with: "--bind 127.0.0.1 --directory $T")
      .replacingOccurrences(of: "python3 /srv/app/worker.py", with: "$T/worker")
    #expect(procfile.contains("after=mysqld") && procfile.contains("ready=tcp:\(port)"), "\(procfile)")
    guard InitHarness.executable(named: "python3") != nil else {
      print("◇ skipping: python3 is not installed (the app's http.server)")
      try Test.cancel("python3 is not installed")
    }
    let directory = setUp(
      procfile,
      scripts: [
        "mysqld": InitServices.prelude + "ev mysqld starting\nsleep 0.5\ntouch $T/mysql.up\nev mysqld up\nexec sleep 30",
        "mysqladmin": "test -e \"$T/mysql.up\"",
        "worker": InitServices.prelude + "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", \(port)))' && ev worker saw app\nev worker started\nexit 5",
      ])
    let run = try InitRun(["-v", "--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(30) == 5, "the worker's status ends the container; stderr: \(run.stderr)")
    #expect(run.events == ["mysqld starting", "mysqld up", "worker saw app", "worker started"], "events: \(run.events)")
    for line in ["mysqld is ready", "python3 is ready", "python3-2 exited with 5, stopping 2 services"] {
      #expect(run.stderr.contains("dockadvise-init: " + line), "stderr: \(run.stderr)")
    }
  }

  @Test func aServiceNeverReadyEndsTheContainerWithNonZeroStatus() throws {
    let port = freePort()
    let directory = setUp(
      """
      # dockadvise-init: db ready=tcp:127.0.0.1:\(port) ready-timeout=600ms
      # dockadvise-init: app after=db
      db: $T/db
      app: $T/app

      """,
      scripts: [
        "db": InitServices.logger("db"),
        "app": InitServices.prelude + "ev app started\nexec sleep 30",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    let status = run.wait(20)
    #expect(status == 1, "stderr: \(run.stderr)")
    #expect(run.elapsed >= 0.5, "the timeout was 0.6 s")
    #expect(
      run.stderr.contains("dockadvise-init: db was not ready within 0.6 s (ready=tcp:127.0.0.1:\(port))"),
      "stderr: \(run.stderr)")
    #expect(!run.events.contains("app started"), "the app must not start: \(run.events)")
    #expect(run.events.contains("db TERM"), "the service that was not ready is stopped: \(run.events)")
  }

  @Test func readyFileAndExecProbesAndAOneshotDependency() throws {
    let directory = setUp(
      """
      # dockadvise-init: cache ready=file:$DIR/cache.ready ready-interval=20ms
      # dockadvise-init: queue 'ready=exec:test -e "$T/queue.ready"' ready-interval=20ms
      # dockadvise-init: migrate oneshot after=cache,queue
      # dockadvise-init: web after=migrate
      web: $T/web
      migrate: $T/migrate
      cache: $T/cache
      queue: $T/queue

      """,
      scripts: [
        "cache": InitServices.prelude + "trap 'exit 0' TERM\nsleep 0.3\nev cache ready\ntouch $T/cache.ready\nwhile :; do sleep 0.05; done",
        "queue": InitServices.prelude + "trap 'exit 0' TERM\nsleep 0.5\nev queue ready\ntouch $T/queue.ready\nwhile :; do sleep 0.05; done",
        "migrate": InitServices.prelude + "ev migrate ran",
        "web": InitServices.prelude + "ev web started\nexit 0",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 0, "stderr: \(run.stderr)")
    #expect(run.events == ["cache ready", "queue ready", "migrate ran", "web started"], "events: \(run.events)")
  }

  @Test func servicesStopInReverseStartOrder() throws {
    func service(_ name: String) -> String {
      InitServices.prelude + "trap 'ev \(name) TERM; sleep 0.2; ev \(name) stopped; exit 0' TERM\nev \(name) ready\n"
        + "while :; do sleep 0.05; done"
    }
    let directory = setUp(
      """
      # dockadvise-init: c after=b
      # dockadvise-init: b after=a stop-signal=INT
      c: $T/c
      b: $T/b
      a: $T/a

      """,
      scripts: [
        "a": service("a"), "c": service("c"),
        "b": service("b").replacingOccurrences(of: "' TERM", with: "' INT").replacingOccurrences(
          of: "ev b TERM", with: "ev b INT"),
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("a ready") && run.waitForEvent("b ready") && run.waitForEvent("c ready"))
    run.send(SIGTERM)
    #expect(run.wait(20) == 0, "stderr: \(run.stderr)")
    #expect(
      Array(run.events.dropFirst(3)) == ["c TERM", "c stopped", "b INT", "b stopped", "a TERM", "a stopped"],
      "each level stops before the one it depends on gets its stop signal: \(run.events)")
  }

  @Test func stopTimeoutCapsTheWholeStop() throws {
    func stubborn(_ name: String) -> String {
      InitServices.prelude + "trap 'ev \(name) TERM' TERM\nev \(name) ready\nwhile :; do sleep 0.05; done"
    }
    let directory = setUp(
      "# dockadvise-init: b after=a\na: $T/a\nb: $T/b\n", scripts: ["a": stubborn("a"), "b": stubborn("b")])
    let run = try InitRun(
      ["--grace", "5s", "--stop-timeout", "700ms", "--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("a ready") && run.waitForEvent("b ready"))
    let sent = Date()
    run.send(SIGTERM)
    #expect(run.wait(20) == 137, "stderr: \(run.stderr)")
    let seconds = Date().timeIntervalSince(sent)
    #expect(seconds >= 0.6 && seconds < 4, "took \(seconds) s with --stop-timeout 700ms")
    #expect(run.events.contains("b TERM") && !run.events.contains("a TERM"), "a never got its turn: \(run.events)")
    #expect(run.stderr.contains("b did not stop within 0.7 s, killing it"), "stderr: \(run.stderr)")
  }

  @Test func userWorkdirAndEnvironment() throws {
    guard getuid() == 0 else {
      print("◇ skipping: user= needs root")
      try Test.cancel("user= needs root")
    }
    let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? ""
    guard let nobody = passwd.split(separator: "\n").map({ $0.split(separator: ":", omittingEmptySubsequences: false) })
      .first(where: { $0.count >= 6 && $0[0] == "nobody" })
    else {
      print("◇ skipping: no user nobody in /etc/passwd")
      try Test.cancel("no user nobody")
    }
    let expectedGroups = InitHarness.runToEnd(["id", "-G", "nobody"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    let report = "echo $0 uid=$(id -u) gid=$(id -g) groups=$(id -G | tr \" \" ,) pwd=$(pwd) home=$HOME greeting=$GREETING from=$FROM_FILE"
    // Inline commands (not scripts in the scratch directory, which other users may not reach); output on
    // stdout, prefixed with the service names by default (two services).
    let directory = setUp(
      """
      # dockadvise-init: named user=nobody workdir=/ 'env=GREETING=hello world' env-file=$DIR/env
      # dockadvise-init: numeric user=4321:8765 workdir=/tmp env=GREETING=override env=GREETING=last
      named: sh -c '\(report); sleep 1' named
      numeric: sh -c '\(report); exec sleep 30' numeric

      """,
      scripts: [:])
    InitRun.file(in: directory, "env", "# a comment\n\nFROM_FILE=file value\n")
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 0, "stderr: \(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    let groups = expectedGroups.replacingOccurrences(of: " ", with: ",")
    #expect(
      lines.contains(
        "named   | named uid=\(nobody[2]) gid=\(nobody[3]) groups=\(groups) pwd=/ home=\(nobody[5]) greeting=hello world from=file value"),
      "stdout: \(lines)")
    #expect(
      lines.contains(
        "numeric | numeric uid=4321 gid=8765 groups=8765 pwd=/tmp home=\(ProcessInfo.processInfo.environment["HOME"] ?? "") greeting=last from="),
      "stdout: \(lines)")
  }
}

/// `--prefix` is the default for a Procfile of more than one service.
@Suite struct InitPrefixDefaultTests {
  private func output(_ procfile: String, _ arguments: [String] = []) throws -> [String] {
    let directory = InitHarness.scratch()
    InitRun.file(in: directory, "Procfile", procfile)
    let run = try InitRun(arguments + ["--procfile", directory + "/Procfile"], pid1: false, directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 0, "stderr: \(run.stderr)")
    return run.stdout.split(separator: "\n").map(String.init).sorted()
  }

  @Test func twoServicesArePrefixedAndAligned() throws {
    let procfile = "web: echo from web; sleep 0.5\nworker: echo from worker; sleep 0.5\n"
    #expect(try output(procfile) == ["web    | from web", "worker | from worker"])
    #expect(try output(procfile, ["--no-prefix"]) == ["from web", "from worker"])
    #expect(try output("only: echo alone\n") == ["alone"])
    #expect(try output("only: echo alone\n", ["--prefix"]) == ["only | alone"])
  }
}

/// Procfile errors of the new options: refused with status 2, naming the line, before anything starts.
@Suite struct InitOrderingParsingTests {
  private func run(_ text: String, _ arguments: [String] = []) throws -> (status: Int32, output: String, directory: String) {
    let initPath = try InitHarness.initPath()
    let directory = InitHarness.scratch()
    let procfile = InitRun.file(in: directory, "Procfile", text)
    let result = InitHarness.runToEnd(
      [initPath] + arguments + ["--procfile", procfile], environment: ["T": directory, "PATH": "/usr/bin:/bin"])
    return (result.status, result.output, directory)
  }

  @Test func aCycleIsRefusedBeforeAnythingStarts() throws {
    let result = try run("a: touch $T/a-ran\nb: touch $T/b-ran\nc: touch $T/c-ran\n# dockadvise-init: a after=c\n# dockadvise-init: b after=a\n# dockadvise-init: c after=b\n")
    #expect(result.status == 2, "\(result.output)")
    #expect(result.output.contains("/Procfile:"), "\(result.output)")
    #expect(result.output.contains(": after= makes a cycle: a -> c -> b -> a"), "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: result.directory + "/a-ran"), "nothing may start")
    let selfCycle = try run("a: true\n# dockadvise-init: a after=a\n")
    #expect(selfCycle.status == 2)
    #expect(selfCycle.output.contains("/Procfile:2: after= makes a cycle: a -> a"), "\(selfCycle.output)")
  }

  @Test func unknownDependencyAndBadProbesAreErrors() throws {
    let unknown = try run("a: true\n# dockadvise-init: a after=b\n")
    #expect(unknown.status == 2)
    #expect(unknown.output.contains("/Procfile:2: a after=b: no such service in the Procfile"), "\(unknown.output)")
    for option in ["ready=tcp:0", "ready=tcp:70000", "ready=tcp:db.example:5432", "ready=http:x", "ready=tcp:", "after=", "env=NOEQUALS", "user="] {
      let result = try run("a: true\n# dockadvise-init: a \(option)\n")
      #expect(result.status == 2, "\(option): \(result.output)")
      #expect(result.output.contains("bad option '\(option)'"), "\(option): \(result.output)")
    }
    let user = try run("a: true\n# dockadvise-init: a user=no-such-user-here\n")
    #expect(user.status == 2)
    #expect(user.output.contains("a user=no-such-user-here: no such user in /etc/passwd"), "\(user.output)")
    let envFile = try run("a: true\n# dockadvise-init: a env-file=/no/such/file\n")
    #expect(envFile.status == 2)
    #expect(envFile.output.contains("a env-file=/no/such/file: No such file or directory"), "\(envFile.output)")
  }

  @Test func checkShowsTheNewOptions() throws {
    let result = try run(
      "# dockadvise-init: web after=db,cache user=0:0 workdir=/srv env=A=1\n# dockadvise-init: db 'ready=exec:pg_isready -q'\nweb: w\ndb: d\ncache: c\n",
      ["--check", "--stop-timeout", "9s"])
    #expect(result.status == 0, "\(result.output)")
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(lines.first == "grace=5000ms stop-timeout=9000ms prefix", "\(result.output)")
    #expect(lines.contains { $0.hasPrefix("web service ") && $0.contains(" after=db,cache user=0:0: exec w") }, "\(result.output)")
    #expect(lines.contains { $0.hasPrefix("db service ") && $0.hasSuffix(" ready=exec:pg_isready -q: exec d") }, "\(result.output)")
  }
}
