/// DA402: s6 longrun services are restarted forever and none of them ends the container.
public struct S6NoExitPropagationRule: Rule {
  public static let description = RuleDescription(
    id: "DA402", name: "s6-no-exit-propagation", severity: .info,
    summary: "add a finish script that records the exit code and halts the container",
    rationale: """
      s6 restarts a longrun whose `run` exits, forever. That is the point of supervision, but it \
      means the container never reports a broken service and its exit code says nothing. To stop the \
      container when a service dies, its `finish` script (which gets the exit code as `$1`, 256 and \
      the signal in `$2` when killed) writes the code to `/run/s6-linux-init-container-results/exitcode` \
      and runs `/run/s6/basedir/bin/halt`. Reported per longrun whose own finish script does not do \
      that, unless a CMD runs as s6-overlay's main program (whose exit already ends the container) or \
      the service is a helper — cron, a log relay, a health check, a sidecar, a reloader — of a main \
      service that does stop the container (the author made that one the designated main service). A \
      helper that stops the container excuses nothing: the main service is still restarted unseen. A \
      finish script that only cleans up or kills something else does not count. Services a cont-init.d script creates at start \
      (`cat > /etc/services.d/x/run`, `/var/run/s6/services/x/run`, `/run/service/x/run`) count like the \
      ones the image copies.
      """,
    fixDescription: "add a finish script writing the exit code and halting; a finish script the user wrote gets those lines at its end (skipped, with the file named, when it execs, exits, shifts or is not a sh/bash file of the context)",
    nonTriggering: [
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/app/finish": "#!/bin/sh\nexec /run/s6/basedir/bin/halt\n",
        "root/etc/s6-overlay/s6-rc.d/svc-cron/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/svc-cron/run": "#!/bin/sh\nexec crond -f\n",
        "root/etc/s6-overlay/s6-rc.d/app-sidecar/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app-sidecar/run": "#!/bin/sh\nexec /usr/bin/autoscaler\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "", "root/etc/s6-overlay/s6-rc.d/user/contents.d/svc-cron": "",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app-sidecar": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/app/finish": "#!/bin/sh\necho \"$1\" > /run/s6-linux-init-container-results/exitcode\nexec /run/s6/basedir/bin/halt\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY entrypoint.sh /entrypoint.sh\nCOPY root/ /\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"/usr/bin/app\"]\n", files: [
        "entrypoint.sh": "#!/bin/sh\nmkdir -p /data\nexec /init \"$@\"\n",
        "root/etc/s6-overlay/s6-rc.d/cron/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/cron/run": "#!/bin/sh\nexec crond -f\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/cron": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\nCMD [\"/usr/bin/app\"]\n", files: [
        "root/etc/s6-overlay/s6-rc.d/cron/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/cron/run": "#!/bin/sh\nexec crond -f\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/cron": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/setup/type": "oneshot\n", "root/etc/s6-overlay/s6-rc.d/setup/up": "/etc/s6-overlay/scripts/setup\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/setup": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/cont-init.d/10-services": "#!/usr/bin/with-contenv sh\nmkdir -p /var/run/s6/services/app\ncat > /var/run/s6/services/app/run <<'EOF'\n#!/bin/sh\nexec app\nEOF\necho 's6-svscanctl -t /var/run/s6/services' > /var/run/s6/services/app/finish\n",
      ]),
    ],
    triggering: [
      Example("FROM base-with-s6\nCOPY services.d/ /etc/services.d/\n", files: [
        "services.d/tunnel/run": "↓#!/usr/bin/with-contenv sh\nexec cloudflared tunnel run\n",
        "services.d/healthcheck/run": "#!/usr/bin/with-contenv sh\nexec /usr/local/bin/ping-loop\n",
        "services.d/healthcheck/finish": "#!/bin/sh\ns6-svscanctl -t /var/run/s6/services\n",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/web/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/web/run": "#!/bin/sh\nexec web\n",
        "root/etc/s6-overlay/s6-rc.d/web/finish": "#!/bin/sh\nexec /run/s6/basedir/bin/halt\n",
        "root/etc/s6-overlay/s6-rc.d/worker/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/worker/run": "↓#!/bin/sh\nexec worker\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/web": "", "root/etc/s6-overlay/s6-rc.d/user/contents.d/worker": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "↓#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "↓#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/app/finish": "#!/bin/sh\nkillall -9 helper\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY entrypoint.sh /entrypoint.sh\nCOPY root/ /\nENTRYPOINT [\"/entrypoint.sh\"]\n", files: [
        "entrypoint.sh": "#!/bin/sh\nmkdir -p /data\nexec /init \"$@\"\n",
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "↓#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY services.d/ /etc/services.d/\n", files: [
        "services.d/web/run": "↓#!/usr/bin/with-contenv sh\nexec web\n",
        "services.d/worker/run": "↓#!/usr/bin/with-contenv sh\nexec worker\n",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/cont-init.d/10-services": "#!/usr/bin/with-contenv sh\nmkdir -p /etc/services.d/app\ncat > /etc/services.d/app/run <<'EOF'\n↓#!/bin/sh\nexec app\nEOF\nchmod +x /etc/services.d/app/run\n",
      ]),
    ],
    corrections: [
      Correction(
        Example("FROM base-with-s6\nCOPY root/ /\n", files: [
          "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
          "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
        ]),
        Example("FROM base-with-s6\nCOPY root/ /\n", files: [
          "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
          "root/etc/s6-overlay/s6-rc.d/app/finish": "#!/bin/sh\n# Generated by dockadvise: when the service ends, record its exit code and stop the container.\n# A service taken down by the container's shutdown is no longer wanted up: it leaves the code alone.\nif [ \"$(s6-svstat -o wantedup . 2>/dev/null)\" = false ]; then exit 0; fi\n# s6 passes the exit code as $1 (256 when killed by a signal, whose number is $2).\nif [ \"$1\" -eq 256 ]; then code=$((128 + $2)); else code=$1; fi\necho \"$code\" > /run/s6-linux-init-container-results/exitcode\nexec /run/s6/basedir/bin/halt\n",
          "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
        ]),
        options: ["--unsafe"]),
      // A finish script the user wrote keeps what it does: the exit code and the halt are added after it.
      Correction(
        Example("FROM base-with-s6\nCOPY root/ /\n", files: [
          "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
          "root/etc/s6-overlay/s6-rc.d/app/finish": "#!/bin/sh\nkillall -9 helper\n",
          "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
        ]),
        Example("FROM base-with-s6\nCOPY root/ /\n", files: [
          "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
          "root/etc/s6-overlay/s6-rc.d/app/finish": "#!/bin/sh\nkillall -9 helper\n# Added by dockadvise: when the service ends, record its exit code and stop the container.\n# A service taken down by the container's shutdown is no longer wanted up: it leaves the code alone.\nif [ \"$(s6-svstat -o wantedup . 2>/dev/null)\" != false ]; then\n  # s6 passes the exit code as $1 (256 when killed by a signal, whose number is $2).\n  if [ \"$1\" -eq 256 ]; then code=$((128 + $2)); else code=$1; fi\n  echo \"$code\" > /run/s6-linux-init-container-results/exitcode\n  exec /run/s6/basedir/bin/halt\nfi\n",
          "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
        ]),
        options: ["--unsafe"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard context.usesS6Overlay else { return [] }
    let layout = context.s6
    let longruns = S6Facts.longrunExits(layout, image: context.image.files, programs: context.servicePrograms)
    guard !longruns.isEmpty else { return [] }
    // A CMD run as s6-overlay's main program already ends the container.
    if context.launch.runsMainProgramUnderS6 { return [] }
    if context.image.cmd != nil && context.image.entrypoint == nil && !context.launch.runsS6Overlay { return [] }
    // Per service: its own finish decides; a helper is excused when a main service stops the container.
    let stoppers = longruns.filter(\.stopsContainer)
    let mainStops = stoppers.contains { !$0.isHelper }
    return longruns.compactMap { service in
      guard let run = service.run, !service.stopsContainer, !(service.isHelper && mainStops) else { return nil }
      let others = stoppers.isEmpty
        ? "no service stops the container or records its exit code"
        : "only the finish script of \(stoppers.map(\.name).joined(separator: ", ")) stops the container, and \(stoppers.count == 1 ? "that service is" : "those are") a helper"
      let message = stoppers.isEmpty || mainStops
        ? "s6 restarts \(service.name) forever when it dies and \(mainStops ? "its own finish script does not stop the container or record its exit code" : others)"
        : "s6 restarts \(service.name) forever when it dies: \(others)"
      var notes = [run.provenanceNote]
      if let finish = service.finish, let refusal = Self.appendRefusal(finish) {
        notes.append(Finding.Note(S6Facts.skippedNotePrefix + refusal, at: FileRange(file: finish.source, range: .empty(at: S6Facts.startOffset(finish)))))
      }
      return finding(
        at: FileRange(file: run.source, range: .empty(at: S6Facts.startOffset(run))), message,
        notes: notes, fix: Self.finishFix(service.name, run: run, finish: service.finish, layout: layout))
    }
  }
}

// MARK: The fix

extension S6NoExitPropagationRule {
  /// The lines added at the end of a finish script the user wrote: the same as `finishScript`, under
  /// the wanted-up guard, after whatever the script does first.
  static let finishAddition = """
    # Added by dockadvise: when the service ends, record its exit code and stop the container.
    # A service taken down by the container's shutdown is no longer wanted up: it leaves the code alone.
    if [ "$(s6-svstat -o wantedup . 2>/dev/null)" != false ]; then
      # s6 passes the exit code as $1 (256 when killed by a signal, whose number is $2).
      if [ "$1" -eq 256 ]; then code=$((128 + $2)); else code=$1; fi
      echo "$code" > /run/s6-linux-init-container-results/exitcode
      exec /run/s6/basedir/bin/halt
    fi

    """

  /// Why lines added at the end of a finish script might not run or might see other arguments; nil
  /// when appending is safe: a file of the context, run by a POSIX shell, that never execs, exits,
  /// shifts or resets its arguments.
  static func appendRefusal(_ finish: ImageFile) -> String? {
    guard case .context = finish.origin, finish.isWholeSourceFile else { return "\(finish.path) is not a file of the build context (a RUN or heredoc writes it)" }
    let text = finish.text
    let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
    let shells: Set<String> = ["sh", "bash", "ash", "dash"]
    let interpreter = firstLine.hasPrefix("#!") ? firstLine.dropFirst(2).split(separator: " ").map { DaemonCatalog.basename(String($0)) } : []
    guard let last = interpreter.last, shells.contains(last), interpreter.allSatisfy({ shells.contains($0) || $0 == "with-contenv" || $0 == "env" }) else {
      return "\(finish.source.path) is not a sh or bash script"
    }
    if text.contains("\r") { return "\(finish.source.path) has CRLF line ends" }
    let words = text.split(whereSeparator: { " \t\n;&|(){}`".contains($0) })
    for word in ["exec", "exit", "shift", "return"] where words.contains(Substring(word)) {
      return "\(finish.source.path) uses '\(word)', so lines added at its end might not run or might not see the exit code"
    }
    if text.contains("set --") { return "\(finish.source.path) resets its arguments (set --)" }
    return nil
  }

  static func finishFix(_ name: String, run: ImageFile, finish: ImageFile?, layout: S6Layout) -> Fix? {
    guard layout.service(name) != nil else { return nil }
    if let finish {
      // The user's finish script keeps what it does; the exit code and the halt come after it.
      guard appendRefusal(finish) == nil else { return nil }
      let bytes = finish.source.bytes
      let prefix = bytes.isEmpty || bytes.last == 0x0A ? "" : "\n"
      return Fix(
        title: "stop the container when \(name) ends (added to its finish script)", safety: .unsafe,
        edits: [.insert(prefix + finishAddition, at: bytes.count, in: finish.source.path)])
    }
    guard let path = S6Facts.sibling(run, "finish") else { return nil }
    return Fix(
      title: "stop the container when \(name) ends", safety: .unsafe, edits: [],
      createdFiles: [Fix.CreatedFile(path: path, contents: Array(S6Facts.finishScript.utf8), executable: true)])
  }
}
