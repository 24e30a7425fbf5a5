/// DA110: systemd (or another SysV-style init) is PID 1.
public struct SystemdPID1Rule: Rule {
  public static let description = RuleDescription(
    id: "DA110", name: "systemd-pid1", severity: .info,
    summary: "set `STOPSIGNAL SIGRTMIN+3` for systemd, or run the services under a container init",
    rationale: """
      systemd as PID 1 (`/sbin/init`, `/lib/systemd/systemd`, `/usr/sbin/init`) can run in a container, \
      but only with help from outside: it shuts down on SIGRTMIN+3, not the SIGTERM `docker stop` \
      sends (so without `STOPSIGNAL SIGRTMIN+3` the container is killed after the grace period), it \
      needs a writable cgroup hierarchy and tmpfs on /run and /tmp, and a unit that fails is restarted \
      or left failed while the container runs on, so orchestrators never learn of it. The fix adds the \
      stop signal when none is set; for the rest a managed layout (one init, the services as its \
      children) is the usual answer.
      """,
    fixDescription: "add `STOPSIGNAL SIGRTMIN+3` when missing; with it set, the finding stays (info, no fix): only a managed layout makes a failed service stop the container",
    nonTriggering: [
      Example("FROM debian\nRUN apt-get update && apt-get install -y systemd\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nCMD [\"/usr/local/bin/init-db\"]\n"),
      Example("FROM alpine\nRUN apk add --no-cache tini\nENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD [\"app\"]\n"),
      // systemd runs as a child of the script, not as PID 1.
      Example("FROM ubuntu\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\n/lib/systemd/systemd --version\nexec app\n"]),
    ],
    triggering: [
      Example("FROM fedora\nRUN dnf install -y httpd && systemctl enable httpd\n↓CMD [\"/sbin/init\"]\n"),
      Example("FROM ubuntu\nSTOPSIGNAL SIGTERM\n↓ENTRYPOINT [\"/lib/systemd/systemd\"]\n"),
      Example("FROM centos:7\n↓CMD [\"/usr/sbin/init\"]\n"),
      // Stopped the way systemd expects, but a failed unit still never ends the container (no fix: info).
      Example("FROM ubuntu\nSTOPSIGNAL SIGRTMIN+3\n↓ENTRYPOINT [\"/lib/systemd/systemd\"]\n"),
      // A wrapper script that execs systemd, by whichever path the distribution has.
      Example(
        "FROM ubuntu\nCOPY entry.sh /entry.sh\n↓ENTRYPOINT [\"/entry.sh\"]\n",
        files: ["entry.sh": "#!/bin/sh\nif [ -x /lib/systemd/systemd ]; then s=/lib/systemd/systemd; else s=/sbin/init; fi\nexec $s\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM fedora\nRUN dnf install -y httpd && systemctl enable httpd\nCMD [\"/sbin/init\"]\n"),
        Example("FROM fedora\nRUN dnf install -y httpd && systemctl enable httpd\nSTOPSIGNAL SIGRTMIN+3\nCMD [\"/sbin/init\"]\n"))
    ])

  public init() {}

  /// The spellings of systemd's stop signal that Docker accepts (37 with glibc's SIGRTMIN of 34).
  static let systemdStopSignals: Set<String> = ["SIGRTMIN+3", "RTMIN+3", "37"]

  public func check(_ context: LintContext) -> [Finding] {
    guard let manager = context.launch.pid1Manager, let record = ProgramTable.record(for: manager.name), record.kind == .systemd,
      let keyword = context.image.entrypoint?.keyword ?? context.image.cmd?.keyword
    else { return [] }
    let signal = record.stopSignal ?? "SIGRTMIN+3"
    let common = "a failed unit never ends the container, and systemd needs a writable cgroup and tmpfs mounts"
    if let set = context.image.stopSignal {
      // With systemd's stop signal the image is set up the way systemd in a container is meant to run:
      // a deliberate choice, and nothing is left that a fix could change.
      if Self.systemdStopSignals.contains(set.value.uppercased()) {
        var residual = finding(
          at: keyword, "\(manager.name) is PID 1 (with its stop signal \(set.value)): \(common); run the services under a container init if one failing must stop the container",
          notes: [Finding.Note("STOPSIGNAL is set here", at: set.location)])
        residual.isResidual = true
        return [residual]
      }
      return [finding(
        at: keyword, "\(manager.name) is PID 1 and shuts down on \(signal), but STOPSIGNAL is \(set.value): \(common)",
        notes: [Finding.Note("STOPSIGNAL is set here", at: set.location)])]
    }
    return [finding(
      at: keyword, "\(manager.name) is PID 1 and shuts down on \(signal), but docker stop sends SIGTERM (no STOPSIGNAL set): \(common)",
      fix: Fix(title: "add STOPSIGNAL \(signal)", safety: .safe, edits: [Edits.insertLine("STOPSIGNAL \(signal)", before: keyword)]))]
  }
}
