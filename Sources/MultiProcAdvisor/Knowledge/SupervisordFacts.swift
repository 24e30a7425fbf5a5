import DockerfileParser

/// What a supervisord configuration does about exits and logs, and the fixes dockadvise writes for it.
public enum SupervisordFacts {
  static let exitEvents = ["PROCESS_STATE_EXITED", "PROCESS_STATE_FATAL", "PROCESS_STATE"]

  /// The events a section subscribes to (`events=` split on commas and whitespace).
  static func events(_ section: SupervisordConfig.Section) -> [String] {
    (section.value("events") ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0.isNewline || $0 == "\t" }).map(String.init)
  }

  /// Whether some event listener stops supervisord when a program exits or goes FATAL. A listener
  /// subscribed to those events whose script cannot be read is trusted; one whose script is read must
  /// contain a way to stop supervisord.
  public static func hasShutdownListener(_ config: SupervisordConfig, image: ImageFileSystem) -> Bool {
    for listener in config.eventListeners where events(listener).contains(where: exitEvents.contains) {
      guard let command = listener.value("command") else { continue }
      let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline }).map(String.init)
      if command.contains("kill") || command.contains("shutdown") { return true }
      // The script: the first word that is a readable file (skipping interpreters).
      let scripts = words.filter { $0.hasPrefix("/") }.compactMap { image.file(at: $0) }
      guard let script = scripts.first else { return true }
      if stopsSupervisord(script.text) { return true }
    }
    return false
  }

  /// Whether a listener's source shuts supervisord down.
  static func stopsSupervisord(_ text: String) -> Bool {
    let markers = ["kill", "shutdown", "os.kill", "SIGTERM", "SIGQUIT", "signal.SIG", "sys.exit", "halt"]
    return markers.contains { text.contains($0) }
  }

  /// Where supervisord sends one output stream of a program.
  public enum StreamDestination: Equatable, Sendable {
    /// The container's own stdout/stderr (`/dev/stdout`, `/dev/fd/1`, `/proc/1/fd/1`, …): `docker logs`.
    case containerOutput
    /// Thrown away on purpose (`/dev/null`, `NONE`).
    case discarded
    /// Written to a file; `path` is `nil` for supervisord's default `AUTO` (a file in `childlogdir`).
    case file(path: String?)
  }

  /// Paths that are the container's stdout or stderr when supervisord (PID 1, or a child of it) opens them.
  static let containerOutputPaths: Set<String> = [
    "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2", "/proc/self/fd/1", "/proc/self/fd/2", "/proc/1/fd/1", "/proc/1/fd/2",
  ]

  /// What a `stdout_logfile`/`stderr_logfile` value means (supervisord's default is `AUTO`).
  static func destination(_ value: String?) -> StreamDestination {
    let path = (value ?? "AUTO").trimmed(in: " \t")
    if containerOutputPaths.contains(path) { return .containerOutput }
    if path == "/dev/null" || path.uppercased() == "NONE" { return .discarded }
    return .file(path: path.uppercased() == "AUTO" ? nil : path)
  }

  /// Where a program's stdout (`"stdout"`) or stderr (`"stderr"`) ends up. With `redirect_stderr=true`
  /// stderr goes wherever stdout goes.
  public static func destination(of stream: String, in program: SupervisordConfig.Section) -> StreamDestination {
    if stream == "stderr", program.value("redirect_stderr").flatMap(SupervisordConfig.boolean) == true {
      return destination(program.value("stdout_logfile"))
    }
    return destination(program.value("\(stream)_logfile"))
  }

  /// Whether a listener relays this stream of the program to supervisord's own output: the program emits
  /// `PROCESS_LOG_STDOUT`/`_STDERR` events (`stdout_events_enabled`, default false) and a listener
  /// subscribes to them (supervisor_stdout and the like). Redirected stderr travels as stdout.
  static func relayed(_ stream: String, of program: SupervisordConfig.Section, in config: SupervisordConfig) -> Bool {
    let redirected = stream == "stderr" && program.value("redirect_stderr").flatMap(SupervisordConfig.boolean) == true
    let source = redirected ? "stdout" : stream
    guard program.value("\(source)_events_enabled").flatMap(SupervisordConfig.boolean) == true else { return false }
    let event = "PROCESS_LOG_" + source.uppercased()
    return config.eventListeners.contains { events($0).contains { $0 == "PROCESS_LOG" || $0 == event } }
  }

  /// The streams of a program that end up in files rather than the container's output: not sent to
  /// `/dev/stdout` and friends, not discarded on purpose (`/dev/null`, `NONE`), and not relayed by a
  /// log listener. A missing `stdout_logfile` is supervisord's default `AUTO`: a file in `childlogdir`.
  public static func hiddenStreams(_ program: SupervisordConfig.Section, in config: SupervisordConfig) -> [String] {
    ["stdout", "stderr"].filter { stream in
      guard case .file = destination(of: stream, in: program) else { return false }
      return !relayed(stream, of: program, in: config)
    }
  }

  /// Adds the keys that send the hidden streams to the container's stdout/stderr, after the section's last line.
  public static func logFix(_ program: SupervisordConfig.Section, missing: [String]) -> Fix? {
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

  /// Where the generated listener goes in the build context and in the image.
  static let listenerContextPath = "dockadvise/supervisord-exit-listener.sh"
  static let listenerImagePath = "/usr/local/bin/dockadvise-supervisord-exit-listener"
  static let listenerName = "dockadvise-exit"

  /// The listener script: speaks supervisord's listener protocol and stops supervisord (SIGTERM to its
  /// parent) on the first EXITED/FATAL event of a program not named on its command line.
  public static let listenerScript = """
    #!/bin/sh
    # Generated by dockadvise: a supervisord event listener that stops supervisord (and so the container)
    # when a program exits or goes FATAL. Programs meant to finish are passed as arguments and ignored.
    ignore=" $* "
    printf 'READY\\n'
    while read -r header; do
      length=$(printf '%s\\n' "$header" | sed -n 's/.*len:\\([0-9][0-9]*\\).*/\\1/p')
      payload=$(dd bs=1 count="${length:-0}" 2>/dev/null)
      name=$(printf '%s\\n' "$payload" | sed -n 's/.*processname:\\([^ ]*\\).*/\\1/p')
      printf 'RESULT 2\\nOK'
      case "$ignore" in
        *" $name "*) printf 'READY\\n' ;;
        *)
          echo "dockadvise: $name ended, stopping supervisord" >&2
          kill -TERM "$PPID"
          exit 0
          ;;
      esac
    done

    """

  /// Adds the exit listener: the script in the context, a COPY into the image, and the
  /// `[eventlistener:x]` section in the configuration file that holds the programs.
  public static func exitListenerFix(_ config: SupervisordConfig, context: LintContext) -> Fix? {
    guard let reader = context.image.files.reader, let anchor = context.launch.definingInstruction,
      let target = config.programs.first?.headerLocation.file ?? config.files.first
    else { return nil }
    // The configuration must be a file the fix can edit (not a package default dockadvise synthesised).
    guard !target.path.hasPrefix(ImageFile.packagePathPrefix) else { return nil }
    let oneshots = config.programs.filter { program in
      program.value("autorestart").flatMap(SupervisordConfig.boolean) == false && (program.value("startsecs") ?? "1") == "0"
    }.map { String($0.name.dropFirst("program:".count)) }
    let newline = Edits.newline(of: target)
    var section = newline + "[eventlistener:\(listenerName)]" + newline
    section += "command=" + ([listenerImagePath] + oneshots + [listenerName]).joined(separator: " ") + newline
    section += "events=PROCESS_STATE_EXITED,PROCESS_STATE_FATAL" + newline
    let endsWithNewline = target.bytes.last == 0x0A
    return Fix(
      title: "stop supervisord when a program exits", safety: .unsafe,
      edits: [
        .insert((endsWithNewline ? "" : newline) + section, at: target.bytes.count, in: target.path),
        Edits.insertLine("COPY --chmod=755 \(listenerContextPath) \(listenerImagePath)", before: anchor),
      ],
      createdFiles: [Fix.CreatedFile(path: reader.displayPath(listenerContextPath), contents: Array(listenerScript.utf8), executable: true)])
  }
}
