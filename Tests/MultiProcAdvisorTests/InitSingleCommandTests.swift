import Foundation
import Testing

/// `dockadvise-init [options] -- CMD ARGS…` (tini-compatible), run as PID 1 of a new PID namespace.
@Suite struct InitSingleCommandTests {
  @Test(arguments: [("exit 0", 0), ("exit 7", 7), ("kill -KILL $$", 137), ("kill -USR1 $$", 138)] as [(String, Int32)])
  func exitStatusIsPassedOn(command: String, expected: Int32) throws {
    let run = try InitRun(["--", "/bin/sh", "-c", command])
    defer { run.stop() }
    #expect(run.wait(20) == expected, "stderr: \(run.stderr)")
  }

  @Test func execFailuresExitLikeAShell() throws {
    let missing = try InitRun(["--", "/nonexistent/program"])
    defer { missing.stop() }
    #expect(missing.wait(20) == 127)
    #expect(missing.stderr.contains("dockadvise-init: cannot run '/nonexistent/program': No such file or directory"))

    let directory = InitHarness.scratch()
    InitRun.file(in: directory, "not-executable", "#!/bin/sh\nexit 0\n")
    let denied = try InitRun(["--", directory + "/not-executable"], directory: directory)
    defer { denied.stop() }
    #expect(denied.wait(20) == 126)
    #expect(denied.stderr.contains("Permission denied"))
  }

  /// `-p SIGNAL` (tini): when the init's parent dies the init gets SIGNAL, forwards it to the child and
  /// exits, rather than running on as an orphan.
  @Test func parentDeathSignalEndsTheInit() throws {
    let initPath = try InitHarness.initPath()
    let directory = InitHarness.scratch()
    // The parent shell starts the init, waits until it runs, says its pid and exits.
    let parent = InitHarness.runToEnd([
      "/bin/sh", "-c",
      "'\(initPath)' -p SIGTERM -- /bin/sh -c 'trap \"echo got-term > \(directory)/child; exit 0\" TERM; echo up > \(directory)/child; while :; do sleep 0.1; done' </dev/null >/dev/null 2>&1 & "
        + "i=0; while [ ! -s '\(directory)/child' ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; echo $!",
    ])
    let pid = pid_t(parent.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    #expect(pid > 0, "\(parent.output)")
    guard pid > 0 else { return }
    var gone = false
    for _ in 0..<100 {
      // Gone, or a zombie left to whichever process reaps orphans here.
      let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
      if kill(pid, 0) != 0 || state == "Z" { gone = true; break }
      usleep(50_000)
    }
    if !gone { kill(pid, SIGKILL) }
    #expect(gone, "the init outlived its parent by 5 s")
    let child = (try? String(contentsOfFile: directory + "/child", encoding: .utf8)) ?? ""
    #expect(child == "got-term\n", "the child should have got the forwarded SIGTERM: \(child)")
  }

  @Test func searchesPathLikeTini() throws {
    let run = try InitRun(["sh", "-c", "exit 3"])  // no "--", found through PATH
    defer { run.stop() }
    #expect(run.wait(20) == 3)
  }

  @Test func forwardsSignalsToTheChildAndItsGrandchild() throws {
    let directory = InitHarness.scratch()
    // Real-time signals: 34 (glibc's SIGRTMIN, one of musl's internal signals) and 36.
    let signals = ["USR1", "USR2", "HUP", "WINCH", "ALRM", "QUIT", "CONT", "34", "36"]
    InitRun.script(in: directory, "svc", InitServices.logger("a", signals: signals, grandchild: true))
    let run = try InitRun(["--", directory + "/svc"], directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("a ready") && run.waitForEvent("a.gc ready"))
    for (number, name) in [
      (SIGUSR1, "USR1"), (SIGUSR2, "USR2"), (SIGHUP, "HUP"), (SIGWINCH, "WINCH"), (SIGALRM, "ALRM"),
      (SIGQUIT, "QUIT"), (SIGCONT, "CONT"), (34, "34"), (36, "36"),
    ] {
      run.send(number)
      #expect(run.waitForEvent("a \(name)"), "child did not get SIG\(name); events: \(run.events)")
      // sh ignores SIGQUIT (and SIGINT) in background subshells: the grandchild cannot trap it.
      if name != "QUIT" {
        #expect(run.waitForEvent("a.gc \(name)"), "grandchild did not get SIG\(name); events: \(run.events)")
      }
    }
    #expect(run.process.isRunning, "forwarded signals must not stop the init")
    run.send(SIGTERM)
    #expect(run.wait(20) == 0)
    #expect(run.events.contains("a TERM") && run.events.contains("a.gc TERM"))
  }

  @Test func sigtermEndsAChildThatIgnoresItAfterTheGracePeriod() throws {
    let directory = InitHarness.scratch()
    InitRun.script(in: directory, "svc", InitServices.logger("a", ignoreTerm: true))
    let run = try InitRun(["--grace", "500ms", "--", directory + "/svc"], directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("a ready"))
    let sent = Date()
    run.send(SIGTERM)
    let status = run.wait(10)
    let seconds = Date().timeIntervalSince(sent)
    #expect(status == 137, "killed by SIGKILL after the grace period")
    #expect(seconds >= 0.45 && seconds < 5, "took \(seconds) s with a 0.5 s grace period")
    #expect(run.stderr.contains("dockadvise-init: svc did not stop within 0.5 s, killing it"))
  }

  @Test func sigtermToTheInitGivesTheChildsStatusLikeTini() throws {
    let dies = try InitRun(["--", "/bin/sh", "-c", "echo ready > \"$T/ready\"; exec sleep 30"])
    defer { dies.stop() }
    #expect(eventually(within: 20) { FileManager.default.fileExists(atPath: dies.directory + "/ready") })
    usleep(100_000)  // let `exec sleep` happen
    dies.send(SIGTERM)
    #expect(dies.wait(10) == 143)

    let directory = InitHarness.scratch()
    InitRun.script(in: directory, "svc", InitServices.logger("a", onTerm: "exit 0"))
    let traps = try InitRun(["--", directory + "/svc"], directory: directory)
    defer { traps.stop() }
    #expect(traps.waitForEvent("a ready"))
    traps.send(SIGTERM)
    #expect(traps.wait(10) == 0)
  }

  @Test func exitCodeRemapping() throws {
    let run = try InitRun(["-e", "7", "--", "/bin/sh", "-c", "exit 7"])
    defer { run.stop() }
    #expect(run.wait(20) == 0)
  }

  @Test func leftoversInTheChildsGroupGetTermWhenItExits() throws {
    let directory = InitHarness.scratch()
    InitRun.script(in: directory, "background", InitServices.logger("bg"))
    let run = try InitRun(
      [
        "--grace", "5s", "--", "/bin/sh", "-c",
        "\"$T/background\" & while [ ! -s \"$T/events\" ]; do sleep 0.02; done; exit 4",
      ],
      directory: directory)
    defer { run.stop() }
    #expect(run.wait(20) == 4)
    #expect(run.events.contains("bg TERM"), "the background job got SIGTERM, not SIGKILL: \(run.events)")
    #expect(run.elapsed < 10, "it stopped without waiting for the 20 s grace period")
  }

  @Test func verboseModeSaysWhatHappens() throws {
    let run = try InitRun(["-v", "--", "/bin/sh", "-c", "exit 5"])
    defer { run.stop() }
    #expect(run.wait(20) == 5)
    #expect(run.stderr.contains("dockadvise-init: started sh (pid 2)"))
    #expect(run.stderr.contains("dockadvise-init: sh exited with 5"))
    #expect(run.stderr.contains("dockadvise-init: exiting with 5"))
  }

  @Test func quietByDefault() throws {
    let run = try InitRun(["--", "/bin/sh", "-c", "echo out; echo err >&2; exit 0"])
    defer { run.stop() }
    #expect(run.wait(20) == 0)
    #expect(run.stdout == "out\n")
    #expect(run.stderr == "err\n")
  }
}

/// Without a PID namespace: the init is not PID 1 and registers as a child subreaper.
@Suite struct InitSubreaperTests {
  @Test(arguments: [("exit 0", 0), ("exit 7", 7), ("kill -KILL $$", 137), ("kill -USR1 $$", 138)] as [(String, Int32)])
  func exitStatusIsPassedOn(command: String, expected: Int32) throws {
    let run = try InitRun(["--", "/bin/sh", "-c", command], pid1: false)
    defer { run.stop() }
    #expect(run.wait(20) == expected)
  }

  @Test func adoptsAndReapsOrphans() throws {
    // 50 orphans in their own sessions: each records its parent once orphaned, then exits.
    let directory = InitHarness.scratch()
    InitRun.script(
      in: directory, "orphan",
      InitServices.prelude + #"""
        sleep 0.3
        ev orphan $(cut -d' ' -f4 /proc/$$/stat)
        """#)
    InitRun.script(
      in: directory, "svc",
      InitServices.prelude + #"""
        i=0
        while [ $i -lt 50 ]; do (setsid "$T/orphan" &); i=$((i+1)); done
        ev spawned
        exec sleep 30
        """#)
    let run = try InitRun(["--", directory + "/svc"], pid1: false, directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("spawned"), "stderr: \(run.stderr)")
    let adopted = "orphan \(run.pid)"
    #expect(
      eventually(within: 20) { run.events.filter { $0 == adopted }.count == 50 }, "events: \(run.events.suffix(5))")
    // All 50 exited: none may stay a zombie child of the init.
    #expect(
      eventually(within: 10) { zombieChildren(of: run.pid) == 0 }, "\(zombieChildren(of: run.pid)) zombies left")
    run.send(SIGTERM)
    #expect(run.wait(10) == 143)
  }

  @Test func sigtermStopsAChildThatIgnoresIt() throws {
    let directory = InitHarness.scratch()
    InitRun.script(in: directory, "svc", InitServices.logger("a", ignoreTerm: true))
    let run = try InitRun(["--grace", "300ms", "--", directory + "/svc"], pid1: false, directory: directory)
    defer { run.stop() }
    #expect(run.waitForEvent("a ready"))
    run.send(SIGTERM)
    #expect(run.wait(10) == 137)
  }

  private func zombieChildren(of pid: pid_t) -> Int {
    let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return children.split(separator: " ").filter { child in
      let stat = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? ""
      return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }.count
  }
}
