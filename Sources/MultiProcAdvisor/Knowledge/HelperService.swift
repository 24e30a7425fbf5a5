/// Services that only support an image's main service: a cron daemon, a log relay or rotation, a
/// health check, a sidecar, a configuration reloader. When the main service's finish script stops the
/// container, a helper restarted on its own is the author's choice; a helper that stops the container
/// says nothing about the main service.
public enum HelperService {
  /// Words of a service name that say it is a helper (`svc-cron`, `lighttpd-access-log`,
  /// `50-autoscaler-sidecar`, `svc-nginx-auto-reload`, `healthcheck`).
  static let nameWords: Set<String> = [
    "cron", "crond", "crontab", "log", "logs", "logger", "logrotate", "rotate", "sidecar", "health", "healthcheck",
    "reload", "reloader", "watchdog", "watcher", "monitor", "exporter", "metrics", "backup", "cleanup", "cleaner",
  ]

  /// Programs a helper runs (the final command of its `run` script).
  static let programs: Set<String> = [
    "cron", "crond", "supercronic", "go-crond", "logrotate", "s6-log", "multilog", "svlogd", "socklog", "logger", "tail",
  ]

  /// Whether a service named `name`, whose run script ends in `programs` (basenames), is a helper.
  public static func isHelper(name: String, programs finalPrograms: [String]) -> Bool {
    let words = name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
    if words.contains(where: nameWords.contains) { return true }
    return !finalPrograms.isEmpty && finalPrograms.allSatisfy(programs.contains)
  }
}
