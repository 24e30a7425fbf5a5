import DockerfileParser

/// Shell commands that put `daemon off;` into nginx's main configuration file (`…/nginx.conf`):
/// `echo "daemon off;" >> /etc/nginx/nginx.conf`, `printf 'daemon off;\n' >> …`, and
/// `sed -i 's/daemon on;/daemon off;/' /etc/nginx/nginx.conf` or `sed -i '1i daemon off;' …`. Read in
/// RUN steps and build scripts (`sed -i` at build time) and in the scripts that run at start (an
/// entrypoint that appends it before starting nginx). A `sed` that removes the line does not count.
enum NginxConfigWrites {
  static func isMainConfig(_ path: String) -> Bool { path == "nginx.conf" || path.hasSuffix("/nginx.conf") }

  /// Whether this command writes `daemon off;` into an nginx.conf.
  static func writesDaemonOff(_ invocation: ShellInvocation) -> Bool {
    let command = invocation.command
    let words = command.words.map { $0.literalValue ?? $0.raw }
    guard let name = command.resolved.program.map(DaemonCatalog.basename) else { return false }
    switch name {
    case "echo", "printf":
      let target = invocation.redirections.first { [.output, .append, .clobber].contains($0.op) && $0.effectiveFileDescriptor == 1 }?.target?.literalValue
      guard let target, isMainConfig(target) else { return false }
      return words.dropFirst().contains { $0.contains("daemon off") }
    case "sed":
      let arguments = Array(words.dropFirst())
      guard arguments.contains(where: { $0.hasPrefix("-i") || $0.hasPrefix("--in-place") }),
        arguments.contains(where: { !$0.hasPrefix("-") && isMainConfig($0) })
      else { return false }
      return arguments.contains { expression in expression.contains("daemon off") && addsDaemonOff(expression) }
    default:
      return false
    }
  }

  /// A sed expression that leaves `daemon off` in the text: an `s` command whose replacement has it, or
  /// a command that inserts or appends it (`1i daemon off;`, `$a daemon off;`).
  static func addsDaemonOff(_ expression: String) -> Bool {
    let trimmed = expression.trimmed(in: " \t")
    guard trimmed.hasPrefix("s"), trimmed.count > 1 else {
      // Insert, append or change commands, after an optional address (`1i`, `$a`, `/^user/i`).
      return ["i daemon off", "a daemon off", "c daemon off", "i\\", "a\\", "c\\"].contains { trimmed.contains($0) }
        || trimmed.hasPrefix("i") || trimmed.hasPrefix("a") || trimmed.hasPrefix("1i") || trimmed.hasPrefix("$a")
    }
    let delimiter = trimmed[trimmed.index(after: trimmed.startIndex)]
    let parts = trimmed.split(separator: delimiter, omittingEmptySubsequences: false)
    guard parts.count >= 3 else { return true }
    return parts[2].contains("daemon off")
  }

  /// Whether a script writes `daemon off;` into nginx.conf anywhere (outside command substitutions).
  static func writesDaemonOff(_ script: ShellScript) -> Bool {
    script.allInvocationsIncludingEmbedded.contains { !$0.isInCommandSubstitution && writesDaemonOff($0) }
  }
}
