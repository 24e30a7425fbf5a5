/// DA107: the main process shuts down gracefully only on another signal, and STOPSIGNAL is not set.
public struct StopsignalMismatchRule: Rule {
  public static let description = RuleDescription(
    id: "DA107", name: "stopsignal-mismatch", severity: .info,
    summary: "set STOPSIGNAL to the signal the main process treats as a graceful shutdown",
    rationale: """
      `docker stop` sends STOPSIGNAL, SIGTERM by default. Some servers treat SIGTERM as a fast \
      shutdown that drops connections in flight and use another signal for a graceful one: nginx \
      (SIGQUIT), php-fpm (SIGQUIT), apache2/httpd (SIGWINCH). The official nginx, php and httpd \
      images set STOPSIGNAL for that reason; images that build the same servers themselves usually \
      forget. Reported when that server is the process PID 1 ends up running (exec form, or reached \
      through `exec`) and no STOPSIGNAL is in effect. The fix adds STOPSIGNAL before the instruction \
      that starts it.
      """,
    fixDescription: "add STOPSIGNAL",
    nonTriggering: [
      Example("FROM debian\nSTOPSIGNAL SIGQUIT\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nCMD [\"node\", \"server.js\"]\n"),
      Example("FROM debian AS base\nSTOPSIGNAL SIGWINCH\nFROM base\nCMD [\"apache2ctl\", \"-D\", \"FOREGROUND\"]\n"),
    ],
    triggering: [
      Example("FROM debian\n↓CMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\n↓CMD [\"apache2ctl\", \"-D\", \"FOREGROUND\"]\n"),
      Example("FROM alpine\n↓CMD [\"php-fpm83\", \"-F\"]\n"),
      Example("FROM debian\n↓CMD [\"mksh\", \"-c\", \"exec nginx -g 'daemon off;'\"]\n"),
      Example("FROM debian\nCOPY entry.sh /entry.sh\n↓ENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\nexec nginx -g 'daemon off;'\n"]),
    ],
    corrections: [
      Correction(
        Example("FROM debian\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
        Example("FROM debian\nSTOPSIGNAL SIGQUIT\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")),
      Correction(
        Example("FROM debian\nEXPOSE 80\nCMD [\"apache2ctl\", \"-D\", \"FOREGROUND\"]\n"),
        Example("FROM debian\nEXPOSE 80\nSTOPSIGNAL SIGWINCH\nCMD [\"apache2ctl\", \"-D\", \"FOREGROUND\"]\n")),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard let main = context.launch.mainProgram, main.isPID1, context.daemonVerdict(main.command) == nil,
      let name = main.command.programName,
      let signal = Self.gracefulSignal(for: name, arguments: main.command.literalArguments),
      context.image.stopSignal == nil, let instruction = context.launch.definingInstruction
    else { return [] }
    // s6-overlay, supervisord and process managers stop their services themselves on SIGTERM.
    let stopsServicesItself = context.launch.steps.contains { step in
      switch step {
      case .s6Overlay, .supervisord, .manager: true
      default: false
      }
    }
    if stopsServicesItself { return [] }
    // An external base may set STOPSIGNAL itself: only known bases are judged.
    if let base = context.image.base {
      if base.officialStopSignal != nil || base.family == .unknown { return [] }
    }
    let keyword = context.image.entrypoint?.keyword ?? context.image.cmd?.keyword ?? instruction
    return [finding(
      at: keyword, "\(name) shuts down gracefully on \(signal), but docker stop sends SIGTERM (no STOPSIGNAL set)",
      fix: Fix(title: "add STOPSIGNAL \(signal)", safety: .safe, changes: [.insertLine("STOPSIGNAL \(signal)", before: keyword)]))]
  }

  /// The signal a server treats as a graceful stop, when it is not SIGTERM (from its program record;
  /// systemd's SIGRTMIN+3 is DA110's).
  static func gracefulSignal(for program: String, arguments: [String]) -> String? {
    guard let record = ProgramTable.record(for: program), record.kind != .systemd else { return nil }
    return record.stopSignal
  }
}
