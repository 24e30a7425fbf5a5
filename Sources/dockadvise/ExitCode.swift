/// The process exit status of every dockadvise command.
enum ExitCode: Int32, Sendable {
  /// Nothing at or above the failure threshold; the command did what was asked.
  case success = 0
  /// Findings at or above the threshold (`lint`), or something would change (`fix --check`).
  case findings = 1
  /// Usage error, unreadable or unparseable input, bad configuration, internal error.
  case failure = 2
}
