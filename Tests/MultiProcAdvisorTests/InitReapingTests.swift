import Foundation
import Testing

/// Zombie reaping as PID 1: 10,000 orphans, re-parented to the init all at once. One case at a time, so
/// that no more than about 10,000 extra processes exist.
@Suite(.serialized) struct InitReapingTests {
  /// A program that forks 10,000 children and exits without waiting for them: perl, else python3.
  private static func spawner(live: Bool) -> [String]? {
    // `pre`: the children exit at once and are zombies when they are orphaned; `live`: they are orphaned
    // alive and exit together 0.3 s later.
    let child = live ? "select(undef, undef, undef, 0.3); " : ""
    if let perl = InitHarness.executable(named: "perl") {
      return [
        perl, "-e",
        "for (1..10000) { my $p = fork; die \"fork: $!\" unless defined $p; if ($p == 0) { \(child)exit 0 } }",
      ]
    }
    if let python = InitHarness.executable(named: "python3") {
      let sleep = live ? "time.sleep(0.3); " : ""
      return [
        python, "-c", "import os, time\nfor _ in range(10000):\n    if os.fork() == 0:\n        \(sleep)os._exit(0)",
      ]
    }
    return nil
  }

  @Test(arguments: [false, true])
  func reapsTenThousandOrphans(live: Bool) throws {
    guard let spawner = Self.spawner(live: live) else {
      print("◇ skipping: perl or python3 is needed to fork 10,000 orphans quickly")
      try Test.cancel("neither perl nor python3 is installed")
    }
    let directory = InitHarness.scratch()
    // Inside the namespace: make the orphans, then wait (up to 30 s) until no zombie is left anywhere.
    InitRun.script(
      in: directory, "svc",
      InitServices.prelude + """

        "$@" || { ev spawn-failed; exit 90; }
        ev spawned
        i=0
        while [ $i -lt 1500 ]; do
          zombies=$(grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l)
          children=$(wc -w < /proc/1/task/1/children)
          if [ "$zombies" -eq 0 ] && [ "$children" -le 1 ]; then ev reaped; exit 0; fi
          sleep 0.02
          i=$((i+1))
        done
        ev left "$zombies" zombies "$children" children
        exit 1
        """)
    let run = try InitRun(["-v", "--", directory + "/svc"] + spawner, directory: directory)
    defer { run.stop() }
    let status = run.wait(60)
    if run.events.contains("spawn-failed") {
      let reason = "cannot fork 10,000 processes here (a pids limit?): \(run.stderr.suffix(200))"
      print("◇ skipping: \(reason)")
      try Test.cancel(Comment(rawValue: reason))
    }
    #expect(status == 0, "events: \(run.events), stderr: \(run.stderr.suffix(300))")
    #expect(run.events == ["spawned", "reaped"])
    #expect(run.stderr.contains("(reaped 10000 orphans)"), "\(run.stderr.suffix(200))")
  }
}
