/// DA305: supervisord is in charge but its configuration cannot be found or defines no programs.
public struct SupervisordConfigMissingRule: Rule {
  public static let description = RuleDescription(
    id: "DA305", name: "supervisord-config-missing", severity: .warning,
    summary: "copy the supervisord configuration into the image where `-c` (or the default search) finds it",
    rationale: """
      supervisord reads `-c FILE`, or searches `supervisord.conf`, `etc/supervisord.conf` (relative to \
      the working directory and to the binary), `/etc/supervisord.conf` and \
      `/etc/supervisor/supervisord.conf`. When no file is there it refuses to start; when the file \
      defines no `[program:x]` it runs nothing and the container idles forever. Reported when the \
      Dockerfile itself installs supervisor or copies a configuration (so the base image is not \
      expected to provide one) and the file cannot be found, or when the configuration has neither \
      programs nor an `[include]` that a derived image could fill.
      """,
    nonTriggering: [
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\"]\n", files: ["s.conf": "[program:a]\ncommand=a\n"]),
      Example("FROM example/base-with-supervisor\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisor/supervisord.conf\"]\n"),
      Example("FROM debian\nCOPY s.conf /etc/supervisor/supervisord.conf\nCMD [\"supervisord\", \"-n\"]\n", files: ["s.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles=/etc/supervisor/conf.d/*.conf\n"]),
    ],
    triggering: [
      Example("FROM debian\nRUN apt-get update && apt-get install -y supervisor\nCMD [↓\"supervisord\", \"-n\", \"-c\", \"/etc/app/supervisord.conf\"]\n"),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [↓\"supervisord\", \"-n\"]\n", files: ["s.conf": "[supervisord]\nnodaemon=true\n"]),
      Example("FROM python:3.12\nRUN pip install supervisor\nCOPY conf/ /app/conf/\nCMD [↓\"supervisord\", \"-n\", \"-c\", \"/app/supervisord.conf\"]\n", files: ["conf/other.conf": "[program:a]\ncommand=a\n"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard let supervisord = context.launch.supervisord else { return [] }
    if let config = supervisord.config {
      guard config.programs.isEmpty, config.section("include") == nil else { return [] }
      return [finding(
        at: supervisord.command.programLocation,
        "\(supervisord.configPath ?? "the supervisord configuration") defines no [program:x] and includes nothing: supervisord would run nothing")]
    }
    // Not found: report only when the image is expected to get its configuration from this file.
    guard context.image.has(.supervisor) else { return [] }
    let wanted = supervisord.configPath.map { "\($0) is not in the image" } ?? "no configuration is in any of supervisord's default places"
    return [finding(at: supervisord.command.programLocation, "supervisord cannot start: \(wanted)")]
  }
}
