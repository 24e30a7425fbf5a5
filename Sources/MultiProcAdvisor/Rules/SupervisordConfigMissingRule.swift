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
      expected to provide one) and the file cannot be found, when the configuration has neither \
      programs nor an `[include]` that a derived image could fill, or when it is the package's own \
      default (Debian's `/etc/supervisor/supervisord.conf` includes `/etc/supervisor/conf.d/*.conf`, \
      Alpine's `/etc/supervisord.conf` includes `/etc/supervisor.d/*.ini`) and nothing the image adds \
      defines a program.
      """,
    nonTriggering: [
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\"]\n", files: ["s.conf": "[program:a]\ncommand=a\n"]),
      Example("FROM example/base-with-supervisor\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisor/supervisord.conf\"]\n"),
      Example("FROM debian\nCOPY s.conf /etc/supervisor/supervisord.conf\nCMD [\"supervisord\", \"-n\"]\n", files: ["s.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles=/etc/supervisor/conf.d/*.conf\n"]),
      Example("FROM debian\nRUN apt-get update && apt-get install -y supervisor\nCOPY app.conf /etc/supervisor/conf.d/app.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisor/supervisord.conf\"]\n", files: ["app.conf": "[program:app]\ncommand=app\n"]),
      Example("FROM alpine\nRUN apk add --no-cache supervisor\nCOPY app.ini /etc/supervisor.d/app.ini\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["app.ini": "[program:app]\ncommand=app\n"]),
      Example("FROM debian\nRUN apt-get update && apt-get install -y supervisor php-cli\nCOPY conf.php /conf.php\nRUN php /conf.php > /etc/supervisor/supervisord.conf\nCMD [\"supervisord\", \"-n\"]\n", files: ["conf.php": "[supervisord]\n<?php echo 'nodaemon=true'; ?>\n"]),
    ],
    triggering: [
      Example("FROM debian\nRUN apt-get update && apt-get install -y supervisor\nCMD [↓\"supervisord\", \"-n\", \"-c\", \"/etc/app/supervisord.conf\"]\n"),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [↓\"supervisord\", \"-n\"]\n", files: ["s.conf": "[supervisord]\nnodaemon=true\n"]),
      Example("FROM python:3.12\nRUN pip install supervisor\nCOPY conf/ /app/conf/\nCMD [↓\"supervisord\", \"-n\", \"-c\", \"/app/supervisord.conf\"]\n", files: ["conf/other.conf": "[program:a]\ncommand=a\n"]),
      Example("FROM alpine\nRUN apk --update add supervisor\nRUN mkdir -p /echo/supervisor.d/\nCMD [↓\"/usr/bin/supervisord\", \"-c\", \"/etc/supervisord.conf\", \"-n\"]\n"),
      Example("FROM debian\nRUN apt-get update && apt-get install -y supervisor\nCOPY app.conf /etc/supervisor/app.conf\nCMD [↓\"supervisord\", \"-n\"]\n", files: ["app.conf": "[program:app]\ncommand=app\n"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard let supervisord = context.launch.supervisord else { return [] }
    if let config = supervisord.config {
      guard config.programs.isEmpty else { return [] }
      // The package's own file defines no programs: they come from its include folder, and nothing the
      // image adds is there.
      if supervisord.configIsPackageDefault {
        let globs = config.section("include")?.value("files").map { " (\($0.split(whereSeparator: \.isWhitespace).joined(separator: " ")))" } ?? ""
        return [finding(
          at: supervisord.command.programLocation,
          "\(supervisord.configPath ?? "the supervisord configuration") is the supervisor package's default: it defines no [program:x] and the image adds no program to its include folder\(globs): supervisord would run nothing")]
      }
      guard config.section("include") == nil else { return [] }
      return [finding(
        at: supervisord.command.programLocation,
        "\(supervisord.configPath ?? "the supervisord configuration") defines no [program:x] and includes nothing: supervisord would run nothing")]
    }
    // Not found: report only when the image is expected to get its configuration from this file, and
    // no RUN wrote the file with text dockadvise cannot know (`php conf.php > /etc/supervisord.conf`).
    guard context.image.has(.supervisor), supervisord.configContentUnknownFrom == nil else { return [] }
    let wanted = supervisord.configPath.map { "\($0) is not in the image" } ?? "no configuration is in any of supervisord's default places"
    return [finding(at: supervisord.command.programLocation, "supervisord cannot start: \(wanted)")]
  }
}
