import Foundation
import Testing

/// `dockadvise-init --procfile FILE`, run as PID 1 of a new PID namespace.
@Suite struct InitProcfileTests {
  /// Writes the scripts and the Procfile into a fresh scratch directory.
  private func setUp(_ procfile: String, scripts: [String: String]) -> String {
    let directory = InitHarness.scratch()
    for (name, body) in scripts { InitRun.script(in: directory, name, body) }
    InitRun.file(in: directory, "Procfile", procfile)
    return directory
  }

  @Test func oneOfThreeServicesExitingStopsTheOthersAndGivesItsCode() throws {
    let directory = setUp(
      "a: $T/a\nb: $T/b\nc: $T/c\n",
      scripts: [
        "a": InitServices.logger("a", grandchild: true),
        "b": InitServices.logger("b", onTerm: "sleep 0.3; ev b done; exit 0"),
        "c": InitServices.prelude + "while [ $(count ready) -lt 3 ]; do sleep 0.02; done\nexit 7",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 7, "stderr: \(run.stderr)")
    for line in ["a TERM", "a.gc TERM", "b TERM", "b done"] {
      #expect(run.events.contains(line), "events: \(run.events)")
    }
    #expect(run.stderr.contains("dockadvise-init: c exited with 7, stopping 2 services"), "stderr: \(run.stderr)")
    #expect(!run.stderr.contains("killing"), "nobody needed SIGKILL: \(run.stderr)")
  }

  @Test(arguments: [SIGTERM, SIGINT])
  func stopSignalToTheInitStopsEveryServiceAndExitsZero(signal: Int32) throws {
    let name = signal == SIGTERM ? "TERM" : "INT"
    let directory = setUp(
      "a: $T/a\nb: $T/b\n",
      scripts: [
        "a": InitServices.logger("a", grandchild: true, stop: name),
        // b dies of the signal itself (default action): that also counts as a clean stop.
        "b": InitServices.prelude + "ev b ready\nexec sleep 30",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("a ready") && run.waitForEvent("a.gc ready") && run.waitForEvent("b ready"))
    run.send(signal)
    #expect(run.wait(10) == 0, "stderr: \(run.stderr)")
    #expect(run.events.contains("a \(name)"), "events: \(run.events)")
    // sh ignores SIGINT and SIGQUIT in background subshells, so only SIGTERM can be seen there.
    if signal == SIGTERM { #expect(run.events.contains("a.gc TERM"), "events: \(run.events)") }
  }

  @Test func stopSignalToTheInitReportsTheFirstAbnormalStatus() throws {
    let directory = setUp(
      "a: $T/a\nb: $T/b\n",
      scripts: [
        "a": InitServices.logger("a", onTerm: "exit 0"),
        "b": InitServices.logger("b", onTerm: "exit 3"),
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("a ready") && run.waitForEvent("b ready"))
    run.send(SIGTERM)
    #expect(run.wait(10) == 3)
  }

  @Test func aServiceThatIgnoresTermIsKilledAfterTheGracePeriod() throws {
    let directory = setUp(
      "stubborn: $T/stubborn\nquick: $T/quick\n",
      scripts: [
        "stubborn": InitServices.logger("stubborn", ignoreTerm: true),
        "quick": InitServices.logger("quick"),
      ])
    let run = try InitRun(["--grace", "400ms", "--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("stubborn ready") && run.waitForEvent("quick ready"))
    let sent = Date()
    run.send(SIGTERM)
    let status = run.wait(10)
    let seconds = Date().timeIntervalSince(sent)
    #expect(status == 137, "the first abnormal status: stubborn was SIGKILLed")
    #expect(seconds >= 0.35 && seconds < 5, "took \(seconds) s with a 0.4 s grace period")
    #expect(run.stderr.contains("dockadvise-init: stubborn did not stop within 0.4 s, killing it"))
  }

  /// A SIGKILLed Apache leaves workers that ignore TERM in its group: the init must not wait out the
  /// grace period for them once their leader is gone.
  @Test func orphansOfAKilledServiceGetKillWithoutWaitingForTheGracePeriod() throws {
    let directory = setUp(
      "web: $T/web\nother: $T/other\n",
      scripts: [
        "web": InitServices.prelude + """
          ( trap '' TERM; ev worker ready; while :; do sleep 0.05; done ) &
          while [ $(count 'worker ready') -lt 1 ]; do sleep 0.02; done
          while [ $(count 'other ready') -lt 1 ]; do sleep 0.02; done
          kill -KILL $$
          """,
        "other": InitServices.logger("other"),
      ])
    let run = try InitRun(["-v", "--grace", "5s", "--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("worker ready") && run.waitForEvent("other ready"))
    let since = Date()
    #expect(run.wait(10) == 137, "web's status: killed by SIGKILL; stderr: \(run.stderr)")
    let seconds = Date().timeIntervalSince(since)
    #expect(seconds < 2, "took \(seconds) s; the 5 s grace period was waited out")
    #expect(run.stderr.contains("dockadvise-init: killing the processes left by web"), "stderr: \(run.stderr)")
    #expect(!run.stderr.contains("did not stop within"), "stderr: \(run.stderr)")
  }

  @Test func perServiceStopSignal() throws {
    let directory = setUp(
      "# dockadvise-init: web stop-signal=QUIT\nweb: $T/web\nend: $T/end\n",
      scripts: [
        "web": InitServices.logger("web", signals: ["QUIT"]).replacingOccurrences(
          of: "trap 'ev web QUIT' QUIT", with: "trap 'ev web QUIT; exit 0' QUIT"),
        "end": InitServices.prelude + "while [ $(count 'web ready') -lt 1 ]; do sleep 0.02; done\nexit 0",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 0)
    #expect(run.events.contains("web QUIT"))
    #expect(!run.events.contains("web TERM"))
  }

  @Test func onFailureRestartsWithBackoffUpToTheLimit() throws {
    let directory = setUp(
      "# dockadvise-init: flaky restart=on-failure max-restarts=3 backoff=100ms backoff-max=10s\nflaky: $T/flaky\nidle: $T/idle\n",
      scripts: [
        "flaky": InitServices.prelude + "ev flaky run $(date +%s%N)\nexit 3",
        "idle": InitServices.logger("idle"),
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 3, "stderr: \(run.stderr)")
    let starts = run.events.filter { $0.hasPrefix("flaky run ") }.compactMap { Double($0.dropFirst(10)) }
    #expect(starts.count == 4, "the first run and 3 restarts: \(run.events)")
    if starts.count == 4 {
      let gaps = zip(starts.dropFirst(), starts).map { ($0 - $1) / 1e6 }
      // 100 ms, 200 ms, 400 ms (lower bounds only: a loaded machine may be slower, so one gap can outlast
      // the next; the doubling is asserted by the delays the init announces below).
      #expect(gaps[0] >= 95 && gaps[1] >= 195 && gaps[2] >= 395, "gaps (ms): \(gaps)")
    }
    #expect(run.stderr.contains("dockadvise-init: flaky exited with 3, restarting in 0.1 s (1 of 3)"))
    #expect(run.stderr.contains("dockadvise-init: flaky exited with 3, restarting in 0.4 s (3 of 3)"))
    #expect(run.stderr.contains("dockadvise-init: flaky exited with 3 after 3 restarts, stopping 1 service"))
    #expect(run.events.contains("idle TERM"))
  }

  @Test func onFailureDoesNotRestartASuccessAndAlwaysDoes() throws {
    let directory = setUp(
      """
      # dockadvise-init: done restart=on-failure
      # dockadvise-init: again restart=always max-restarts=2 backoff=10ms
      again: $T/again
      idle: $T/idle
      done: $T/done

      """,
      scripts: [
        "again": InitServices.prelude + "ev again run\nexit 0",
        "idle": InitServices.logger("idle"),
        "done": InitServices.prelude + "while [ $(count 'again run') -lt 3 ]; do sleep 0.02; done\nsleep 0.2\nexit 0",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    // `again` runs 3 times (2 restarts) and then ends the container with 0 before `done` does.
    #expect(run.wait(20) == 0, "stderr: \(run.stderr)")
    #expect(run.events.filter { $0 == "again run" }.count == 3)
    #expect(run.stderr.contains("again exited with 0 after 2 restarts"), "stderr: \(run.stderr)")
  }

  @Test func withAMainServiceTheOthersRestartAndTheMainEndsTheContainer() throws {
    let directory = setUp(
      "web: $T/web\nworker: $T/worker\n",
      scripts: [
        "worker": InitServices.prelude + "ev worker run\nexit 1",
        "web": InitServices.prelude + "while [ $(count 'worker run') -lt 2 ]; do sleep 0.02; done\nexit 5",
      ])
    let run = try InitRun(["--main", "web", "--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 5, "stderr: \(run.stderr)")
    #expect(run.stderr.contains("worker exited with 1, restarting in 0.1 s"))
    #expect(run.stderr.contains("web exited with 5"))
  }

  @Test func oneshotsRunFirstInOrder() throws {
    let directory = setUp(
      """
      # dockadvise-init: migrate oneshot
      # dockadvise-init: seed oneshot
      web: $T/web
      migrate: $T/migrate
      seed: $T/seed

      """,
      scripts: [
        "migrate": InitServices.prelude + "sleep 0.2\nev migrate done",
        "seed": InitServices.prelude + "ev seed done",
        "web": InitServices.prelude + "ev web started\nexit 0",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 0)
    #expect(run.events == ["migrate done", "seed done", "web started"])
  }

  @Test func aFailingOneshotStopsStartUpWithItsCode() throws {
    let directory = setUp(
      "# dockadvise-init: migrate oneshot\nmigrate: $T/migrate\nweb: $T/web\n",
      scripts: [
        "migrate": InitServices.prelude + "ev migrate failed\nexit 4",
        "web": InitServices.prelude + "ev web started",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 4)
    #expect(run.events == ["migrate failed"])
    #expect(run.stderr.contains("dockadvise-init: migrate exited with 4, not starting the services"))
  }

  @Test func aOneshotMayRetryOnFailure() throws {
    let directory = setUp(
      "# dockadvise-init: wait-db oneshot restart=on-failure backoff=20ms\nwait-db: $T/wait\nweb: $T/web\n",
      scripts: [
        "wait": InitServices.prelude + "ev wait\n[ $(count '^wait$') -ge 3 ]",
        "web": InitServices.prelude + "ev web started\nexit 6",
      ])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 6)
    #expect(run.events == ["wait", "wait", "wait", "web started"])
  }

  @Test func prefixedOutput() throws {
    let directory = setUp(
      // web waits for worker-1's line, then ends the container.
      "web: while [ ! -e \"$T/hi\" ]; do sleep 0.02; done; echo hello; echo oops >&2; printf 'no newline'\n"
        + "worker-1: echo hi; touch \"$T/hi\"; exec sleep 5\n", scripts: [:])
    let run = try InitRun(["--prefix", "--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 0)
    let out = run.stdout.split(separator: "\n").map(String.init).sorted()
    #expect(out == ["web      | hello", "web      | no newline", "worker-1 | hi"])
    #expect(run.stderr.contains("web      | oops\n"))
  }

  @Test func simpleCommandsAreExecedByTheShell() throws {
    // `b` is a simple command: sh execs it, so the service process is `sleep` itself. `a` starts with a
    // builtin (`exec` redirection), so sh stays and runs it; its process group still gets the signals.
    let directory = setUp("a: exec 2>/dev/null; sleep 30\nb: FOO=bar sleep 30\n", scripts: [:])
    let run = try InitRun(["--procfile", directory + "/Procfile"], directory: directory)
    defer { run.stop() }
    func commands() -> [String] {
      let children = (try? String(contentsOfFile: "/proc/\(run.pid)/task/\(run.pid)/children", encoding: .utf8)) ?? ""
      return children.split(separator: " ").compactMap {
        (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8))?.trimmingCharacters(
          in: .whitespacesAndNewlines)
      }.sorted()
    }
    #expect(eventually(within: 20) { commands() == ["sh", "sleep"] }, "children: \(commands())")
    run.send(SIGTERM)
    #expect(run.wait(10) == 0, "both died of SIGTERM, which counts as a clean stop: \(run.stderr)")
  }

  @Test func aFailedForkCountsAsAnExitWithOne() throws {
    let initPath = try InitHarness.initPath()
    guard getuid() == 0, let setpriv = InitHarness.executable(named: "setpriv"),
      let prlimit = InitHarness.executable(named: "prlimit")
    else {
      print("◇ skipping: root, setpriv and prlimit are needed to make fork fail (RLIMIT_NPROC)")
      try Test.cancel("needs root, setpriv and prlimit")
    }
    // An otherwise unused user may run 2 processes: the init and the first service; the second fork fails.
    let directory = InitHarness.scratch()
    chmod(directory, 0o777)
    InitRun.file(in: directory, "Procfile", "a: sleep 5\nb: true\n")  // a: sh execs sleep, no extra process
    let result = InitHarness.runToEnd([
      setpriv, "--reuid=54321", "--regid=54321", "--clear-groups", prlimit, "--nproc=2", "--", initPath, "--procfile",
      directory + "/Procfile",
    ])
    #expect(result.status == 1, "\(result.output)")
    #expect(result.output.contains("dockadvise-init: cannot start b: fork: Resource temporarily unavailable"))
    #expect(result.output.contains("dockadvise-init: b exited with 1, stopping 1 service"))
  }

  @Test func missingShellIsAnErrorBeforeStartingAnything() throws {
    let initPath = try InitHarness.initPathForPID1()
    guard let busybox = InitHarness.executable(named: "busybox") else {
      print("◇ skipping: busybox is needed to hide /bin/sh in a mount namespace")
      try Test.cancel("busybox is not installed")
    }
    let directory = InitHarness.scratch()
    InitRun.file(in: directory, "Procfile", "web: touch \(directory)/started\n")
    // In a private mount namespace, /bin/sh becomes /dev/null (not executable).
    let result = InitHarness.runToEnd([
      "unshare", "--mount", "--", busybox, "sh", "-c",
      "mount --bind /dev/null /bin/sh && exec \(initPath) --procfile \(directory)/Procfile",
    ])
    #expect(result.status == 2, "\(result.output)")
    #expect(result.output.contains("dockadvise-init: cannot run the Procfile: /bin/sh: Permission denied"))
    #expect(!FileManager.default.fileExists(atPath: directory + "/started"))
  }
}
