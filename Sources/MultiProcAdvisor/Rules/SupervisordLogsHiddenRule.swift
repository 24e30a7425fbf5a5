/// DA304: a supervisord program logs to files, so `docker logs` shows nothing of it.
public struct SupervisordLogsHiddenRule: Rule {
  public static let description = RuleDescription(
    id: "DA304", name: "supervisord-logs-hidden", severity: .info,
    summary: "send the program's output to the container's stdout/stderr",
    rationale: """
      By default supervisord captures each program's stdout and stderr into files under \
      `childlogdir` (`stdout_logfile=AUTO`). In a container those files grow inside the writable \
      layer and `docker logs`, log drivers and `kubectl logs` show nothing of the program. \
      `stdout_logfile=/dev/stdout` with `stdout_logfile_maxbytes=0` (supervisord cannot rotate a \
      character device), and the same for stderr or `redirect_stderr=true`, send it where the \
      platform collects it. A stream the program emits as events (`stdout_events_enabled=true`, default \
      false) to a listener that relays `PROCESS_LOG` (supervisor_stdout) counts as visible; a stream \
      sent to `/dev/null` or `NONE` is discarded on purpose and is not reported. The fix adds those keys; it is marked unsafe because the log files stop being written.
      """,
    fixDescription: "`stdout_logfile=/dev/stdout`, `stdout_logfile_maxbytes=0` (and stderr)",
    nonTriggering: [
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:web]\ncommand=web\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:web]\ncommand=web\nstdout_logfile=/dev/fd/1\nstdout_logfile_maxbytes=0\nstderr_logfile=/dev/fd/2\nstderr_logfile_maxbytes=0\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:web]\ncommand=web\nstdout_events_enabled=true\nstderr_events_enabled=true\n[eventlistener:stdout]\ncommand=supervisor_stdout\nevents=PROCESS_LOG\nresult_handler=supervisor_stdout:event_handler\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:cron]\ncommand=cron -f\nstdout_logfile=/dev/null\nredirect_stderr=true\n[program:web]\ncommand=web\nstdout_logfile=/proc/1/fd/1\nstdout_logfile_maxbytes=0\nstderr_logfile=NONE\n"]),
    ],
    triggering: [
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "↓[program:web]\ncommand=web\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "↓[program:web]\ncommand=web\nstdout_logfile=/var/log/web.log\nstderr_logfile=/var/log/web.err\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "↓[program:web]\ncommand=web\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:web]\ncommand=web\nstdout_events_enabled=true\nredirect_stderr=true\n↓[program:worker]\ncommand=worker\n[eventlistener:stdout]\ncommand=supervisor_stdout\nevents=PROCESS_LOG\nresult_handler=supervisor_stdout:event_handler\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "↓[program:web]\ncommand=web\nstdout_logfile=/dev/null\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:web]\ncommand=web\n\n[program:worker]\ncommand=worker\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n"]),
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:web]\ncommand=web\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nstderr_logfile=/dev/stderr\nstderr_logfile_maxbytes=0\n\n[program:worker]\ncommand=worker\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n"]),
        options: ["--unsafe"])
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard let config = context.launch.supervisord?.config else { return [] }
    return config.programs.compactMap { program in
      let missing = SupervisordFacts.hiddenStreams(program, in: config)
      guard !missing.isEmpty else { return nil }
      // Say where the files are when the configuration leaves them at supervisord's default.
      let redirected = program.value("redirect_stderr").flatMap(SupervisordConfig.boolean) == true
      let defaulted = missing.filter { SupervisordFacts.destination(of: $0, in: program) == .file(path: nil) && !($0 == "stderr" && redirected) }
      let notes = defaulted.isEmpty ? [] : [Finding.Note(
        "\(program.name) sets no \(defaulted.map { "\($0)_logfile" }.joined(separator: " or ")): supervisord's default AUTO writes \(defaulted.count == 1 ? "it to a file" : "them to files") in childlogdir")]
      return finding(
        at: program.headerLocation,
        "\(program.name) writes its \(missing.joined(separator: " and ")) to files, so docker logs shows nothing of it", notes: notes,
        fix: context.launch.supervisord?.isEditable(program.headerLocation.file) == true ? Self.logFix(program, missing: missing) : nil)
    }
  }
}

// MARK: The fix

extension SupervisordLogsHiddenRule {
  /// Adds the keys that send the hidden streams to the container's stdout/stderr, after the section's last line.
  static func logFix(_ program: SupervisordConfig.Section, missing: [String]) -> Fix? {
    var changes: [FixEdit] = []
    for stream in missing {
      let key = "\(stream)_logfile"
      let device = stream == "stdout" ? "/dev/stdout" : "/dev/stderr"
      if stream == "stderr", program.value("redirect_stderr").flatMap(SupervisordConfig.boolean) == true { continue }
      changes.append(.setKey(key, to: device, in: program))
      changes.append(.setKey("\(key)_maxbytes", to: "0", in: program))
    }
    guard !changes.isEmpty else { return nil }
    return Fix(title: "send \(program.name)'s output to the container's stdout/stderr", safety: .unsafe, changes: changes)
  }
}
