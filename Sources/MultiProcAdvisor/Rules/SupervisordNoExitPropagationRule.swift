/// DA301: supervisord is in charge and nothing stops it when a program exits or goes FATAL.
public struct SupervisordNoExitPropagationRule: Rule {
  public static let description = RuleDescription(
    id: "DA301", name: "supervisord-no-exit-propagation", severity: .warning,
    summary: "add an event listener that shuts supervisord down when a program exits or goes FATAL",
    rationale: """
      supervisord never exits because a program died: it restarts it (autorestart) or marks it FATAL \
      and carries on, so the container stays up with a dead service and no orchestrator notices. When \
      it is finally stopped it exits 0, so the service's exit code is lost too. The known remedy is an \
      `[eventlistener:x]` subscribed to `PROCESS_STATE_EXITED,PROCESS_STATE_FATAL` whose command \
      shuts supervisord down (`kill -QUIT` its parent, or `supervisorctl shutdown`). A listener that \
      only relays logs (`PROCESS_LOG` events, supervisor_stdout) does not count; a listener subscribed \
      to exit events whose script dockadvise cannot read is trusted. The fix adds such a listener \
      (a small POSIX sh script that speaks the listener protocol and ignores programs that are meant \
      to finish, `autorestart=false` with `startsecs=0`); `--unsafe` can instead migrate the programs \
      to a managed layout that also keeps the exit code.
      """,
    fixDescription: "add an exit-propagating event listener (or migrate the programs, `--strategy`)",
    nonTriggering: [
      Example(
        "FROM debian\nCOPY supervisord.conf /etc/supervisord.conf\nCOPY stop.sh /stop.sh\nCMD [\"supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n",
        files: [
          "supervisord.conf": "[supervisord]\nnodaemon=true\n[program:web]\ncommand=web\n[eventlistener:stop]\ncommand=/stop.sh\nevents=PROCESS_STATE_EXITED,PROCESS_STATE_FATAL\n",
          "stop.sh": "#!/bin/sh\nprintf 'READY\\n'\nread line\nkill -QUIT $PPID\n",
        ]),
      Example("FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example(
        "FROM debian\nCOPY supervisord.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n",
        files: ["supervisord.conf": "[supervisord]\nnodaemon=true\n[program:web]\ncommand=web\n[eventlistener:watch]\ncommand=/usr/local/bin/exit-on-fatal\nevents=PROCESS_STATE_FATAL\n"]),
    ],
    triggering: [
      Example(
        "FROM debian\nCOPY supervisord.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n",
        files: ["supervisord.conf": "↓[supervisord]\nnodaemon=true\n[program:web]\ncommand=web\n[program:worker]\ncommand=worker\n"]),
      Example(
        "FROM debian\nCOPY supervisord.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n",
        files: ["supervisord.conf": "↓[supervisord]\n[program:web]\ncommand=web\n[eventlistener:stdout]\ncommand=supervisor_stdout\nevents=PROCESS_LOG\nbuffer_size=100\nresult_handler=supervisor_stdout:event_handler\n"]),
      Example(
        "FROM debian\nCOPY conf.d/ /etc/supervisor/conf.d/\nCOPY supervisord.conf /etc/supervisor/supervisord.conf\nCMD [\"supervisord\", \"-c\", \"/etc/supervisor/supervisord.conf\"]\n",
        files: [
          "supervisord.conf": "↓[supervisord]\nnodaemon=true\n[include]\nfiles = conf.d/*.conf\n",
          "conf.d/web.conf": "[program:web]\ncommand=web\n",
        ]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard let supervisord = context.launch.supervisord, let config = supervisord.config, !config.programs.isEmpty,
      !SupervisordFacts.hasShutdownListener(config, image: context.image.files)
    else { return [] }
    let anchor = config.supervisord?.headerLocation ?? config.programs[0].headerLocation
    let relay = config.eventListeners.isEmpty ? "" : " (its event listeners only relay logs)"
    return [finding(
      at: anchor,
      "supervisord never exits when a program dies\(relay): the container keeps running without it and would exit 0 anyway",
      notes: [Finding.Note("supervisord is started here", at: supervisord.command.location)],
      fix: context.strategyRequested ? context.strategyFix ?? SupervisordFacts.exitListenerFix(config, context: context)
        : SupervisordFacts.exitListenerFix(config, context: context))]
  }
}
