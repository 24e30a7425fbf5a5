/// DA303: a supervisord program's command daemonizes, so supervisord restarts it in a loop.
public struct SupervisordProgramDaemonizesRule: Rule {
  public static let description = RuleDescription(
    id: "DA303", name: "supervisord-program-daemonizes", severity: .warning,
    summary: "give the program its foreground form so supervisord can watch it",
    rationale: """
      supervisord supervises the process it started. A command that forks and exits (`nginx` without \
      `daemon off`, `php-fpm` without `-F`, `service x start`, `apachectl start`) looks to it like a \
      program that died right away: it restarts it, the new copy fails to bind the port the orphaned \
      daemon holds, and after `startretries` the program is FATAL while the orphan keeps running \
      unsupervised. Same catalogue as DA205. The fix rewrites the `command=` line to the foreground \
      form when that is a drop-in.
      """,
    fixDescription: "the foreground form in `command=`",
    nonTriggering: [
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:nginx]\ncommand=nginx -g 'daemon off;'\n[program:fpm]\ncommand=php-fpm8.2 -F\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:sshd]\ncommand=/usr/sbin/sshd -D\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:setup]\ncommand=/setup.sh\nautorestart=false\nstartsecs=0\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:dns]\ncommand = dnsmasq --cache-size=25000\n    ; the foreground flag is on a continuation line\n    --keep-in-foreground\n    --no-resolv\n"]),
    ],
    triggering: [
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:nginx]\ncommand=↓nginx\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:apache]\ncommand=↓/usr/sbin/apachectl start\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:cron]\ncommand = ↓cron\nautorestart = true\n"]),
      Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:dns]\ncommand = ↓dnsmasq\n    --cache-size=25000\n    --no-resolv\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:cron]\ncommand = cron\nautorestart = true\n"]),
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:cron]\ncommand = cron -f\nautorestart = true\n"])),
      Correction(
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:nginx]\ncommand=nginx\n"]),
        Example("FROM debian\nCOPY s.conf /etc/supervisord.conf\nCMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n", files: ["s.conf": "[program:nginx]\ncommand=nginx -g 'daemon off;'\n"])),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.servicePrograms.flatMap { program -> [Finding] in
      guard case .service(let name, let supervisor) = program.role, supervisor == "supervisord" else { return [] }
      return program.facts.daemonizing.map { command, verdict in
        let isLast = program.facts.terminals.contains { $0.command.location == command.location }
        return finding(
          at: command.location,
          "program \(name) runs '\(command.text)', which daemonizes (\(verdict.reason)): supervisord sees it exit and restarts it in a loop",
          fix: isLast && context.launch.supervisord?.isEditable(command.location.file) != false ? DaemonizingCommandRule.fix(command, verdict) : nil)
      }
    }
  }
}
