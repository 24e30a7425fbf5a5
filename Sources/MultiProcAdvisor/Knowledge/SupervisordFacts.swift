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

}
