/// DA104: the ENTRYPOINT never looks at its arguments, so CMD and `docker run` arguments are ignored.
public struct EntrypointDropsCmdRule: Rule {
  public static let description = RuleDescription(
    id: "DA104", name: "entrypoint-drops-cmd", severity: .info,
    summary: "run `exec \"$@\"` at the end of the ENTRYPOINT script, or use CMD instead of ENTRYPOINT",
    rationale: """
      Docker appends CMD (or the arguments of `docker run IMAGE ARGS`) to an exec-form ENTRYPOINT. A \
      script that never reads `"$@"` (or `$1`, `$*`, `shift`) silently throws them away: `docker run \
      IMAGE bash` starts the service instead of a shell, and a CMD in the Dockerfile is dead code. A \
      shell-form ENTRYPOINT ignores CMD and arguments entirely, whatever it runs. The conventional \
      entrypoint ends with `exec \"$@\"` and puts the default command in CMD. Reported only when the \
      script can be read and the Dockerfile sets a CMD: an image without one may be meant to run as it \
      is (a base image whose ENTRYPOINT is the whole point), and flagging it would be noise.
      """,
    nonTriggering: [
      Example("FROM alpine\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"nginx\"]\n", files: ["entry.sh": "#!/bin/sh\nset -e\nexec \"$@\"\n"]),
      Example("FROM alpine\nCOPY entry.sh /entry.sh\nENTRYPOINT [\"/entry.sh\"]\n", files: ["entry.sh": "#!/bin/sh\ncase \"$1\" in\n  serve) exec app ;;\n  *) exec sh ;;\nesac\n"]),
      Example("FROM alpine\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\nexec app\n"]),
      Example("FROM alpine\nENTRYPOINT [\"/usr/bin/app\"]\nCMD [\"--help\"]\n"),
    ],
    triggering: [
      Example("FROM alpine\nCOPY entry.sh /entry.sh\n↓ENTRYPOINT [\"/entry.sh\"]\nCMD [\"nginx\"]\n", files: ["entry.sh": "#!/bin/sh\nexec nginx -g 'daemon off;'\n"]),
      Example("FROM alpine\n↓ENTRYPOINT /usr/bin/app --serve\nCMD [\"--verbose\"]\n"),
      Example("FROM alpine\nCOPY entry.sh /entry.sh\n↓ENTRYPOINT [\"/entry.sh\"]\nCMD [\"--debug\"]\n", files: ["entry.sh": "#!/bin/bash\nservice cron start\nexec apache2ctl -D FOREGROUND\n"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard let entrypoint = context.image.entrypoint else { return [] }
    if entrypoint.isShellForm {
      guard let cmd = context.image.cmd else { return [] }
      return [finding(
        at: entrypoint.keyword, "shell-form ENTRYPOINT ignores CMD and the arguments of docker run",
        notes: [Finding.Note("this CMD is never used", at: cmd.keyword)])]
    }
    // The script (or `sh -c` string) the ENTRYPOINT's own words run, directly or behind an init. Without
    // a CMD in this file the image may be meant to run as is; then it is not reported.
    guard let cmd = context.image.cmd, cmd.stage == context.image.finalStage || context.image.chain.contains(cmd.stage) else { return [] }
    guard let program = context.pid1Programs.first(where: { $0.argvSource == .entrypoint }), !program.isShellForm,
      program.issues.isEmpty, !program.facts.readsPositionalParameters, program.interpreter != .execline
    else { return [] }
    return [finding(
      at: entrypoint.keyword, "ENTRYPOINT runs \(program.displayName), which never uses \"$@\": CMD and docker run arguments are ignored",
      notes: program.provenance + [Finding.Note("this CMD is passed to it and dropped", at: cmd.keyword)])]
  }
}
