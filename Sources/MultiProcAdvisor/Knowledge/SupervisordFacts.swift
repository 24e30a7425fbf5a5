import DockerfileParser

/// What a supervisord configuration does about exits and logs, and the fixes dockadvise writes for it.
public enum SupervisordFacts {
  static let exitEvents = ["PROCESS_STATE_EXITED", "PROCESS_STATE_FATAL", "PROCESS_STATE"]
  static let stdoutPaths: Set<String> = ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "/proc/1/fd/1"]
  static let stderrPaths: Set<String> = ["/dev/stderr", "/dev/fd/2", "/proc/self/fd/2", "/proc/1/fd/2", "/dev/stdout", "/dev/fd/1", "/proc/1/fd/1"]

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

  /// Whether a listener relays program output (`PROCESS_LOG` events), which makes file logs visible.
  public static func relaysLogEvents(_ config: SupervisordConfig) -> Bool {
    config.eventListeners.contains { events($0).contains { $0.hasPrefix("PROCESS_LOG") } }
  }

  /// The streams of a program that end up in files rather than the container's output.
  public static func hiddenStreams(_ program: SupervisordConfig.Section) -> [String] {
    var hidden: [String] = []
    let stdout = program.value("stdout_logfile") ?? "AUTO"
    if !stdoutPaths.contains(stdout) && stdout.uppercased() != "NONE" { hidden.append("stdout") }
    let redirect = program.value("redirect_stderr").flatMap(SupervisordConfig.boolean) ?? false
    let stderr = program.value("stderr_logfile") ?? "AUTO"
    if !redirect && !stderrPaths.contains(stderr) && stderr.uppercased() != "NONE" { hidden.append("stderr") }
    if redirect && !stdoutPaths.contains(stdout) && stdout.uppercased() != "NONE" && !hidden.contains("stderr") { hidden.append("stderr") }
    return hidden
  }

}
