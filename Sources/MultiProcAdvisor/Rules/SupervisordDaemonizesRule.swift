/// DA302: supervisord runs without `nodaemon=true` or `-n`, so it forks and the container exits.
public struct SupervisordDaemonizesRule: Rule {
  public static let description = RuleDescription(
    id: "DA302", name: "supervisord-daemonizes", severity: .error,
    summary: "run supervisord in the foreground: `-n` on the command line or `nodaemon=true`",
    rationale: """
      supervisord daemonizes by default. As PID 1 it forks, the parent exits, and the container stops \
      at once with every program killed. It must run with `-n` (`--nodaemon`) or `nodaemon=true` in \
      `[supervisord]`, in the main file or any included one. Reported when the configuration \
      supervisord will read is known (found in the image, or the package default); the fix adds `-n` \
      to the command.
      """,
    fixDescription: "add `-n`",
    nonTriggering: [
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:a]\ncommand=a\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"/usr/bin/supervisord\"]\n", files: ["s.conf": "[supervisord]\nnodaemon = true\n[program:a]\ncommand=a\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisor/conf.d/app.conf\nRUN apt-get update && apt-get install -y supervisor\nCMD [\"supervisord\", \"--nodaemon\"]\n", files: ["s.conf": "[program:a]\ncommand=a\n"]),
      Example("FROM debian\nRUN apt-get update && apt-get install -y supervisor php-cli\nCOPY conf.php /conf.php\nRUN php /conf.php > /etc/supervisor/supervisord.conf\nCMD [\"supervisord\"]\n", files: ["conf.php": "[supervisord]\n<?php echo 'nodaemon=true'; ?>\n"]),
    ],
    triggering: [
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [↓\"supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:a]\ncommand=a\n"]),
      Example("FROM debian\nRUN apt-get update && apt-get install -y supervisor\nCOPY app.conf /etc/supervisor/conf.d/app.conf\nCMD ↓/usr/bin/supervisord\n", files: ["app.conf": "[program:a]\ncommand=a\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["s.conf": "[supervisord]\nnodaemon=false\n[program:a]\ncommand=a\n", "start.sh": "#!/bin/sh\nexec ↓supervisord -c /etc/supervisord.conf\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:a]\ncommand=a\n"]),
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:a]\ncommand=a\n"])),
      Correction(
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["s.conf": "[supervisord]\nnodaemon=false\n[program:a]\ncommand=a\n", "start.sh": "#!/bin/sh\nexec supervisord -c /etc/supervisord.conf\n"]),
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["s.conf": "[supervisord]\nnodaemon=false\n[program:a]\ncommand=a\n", "start.sh": "#!/bin/sh\nexec supervisord -n -c /etc/supervisord.conf\n"])),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard let supervisord = context.launch.supervisord, !supervisord.hasNodaemonFlag, let config = supervisord.config,
      !config.nodaemon
    else { return [] }
    let fix = supervisord.flagInsertionPoint.map { point in
      Fix(title: "run supervisord in the foreground", safety: .safe, changes: [.insertWords(["-n"], after: point, json: supervisord.isJSONElement)])
    }
    return [finding(
      at: supervisord.command.programLocation,
      "supervisord daemonizes (no -n, and \(supervisord.configPath ?? "its configuration") does not set nodaemon=true): it forks and the container exits",
      fix: fix)]
  }
}
