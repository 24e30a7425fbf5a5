import DockerfileParser

/// DA108: a bare shell is asked to read a binary or another interpreter's script as a shell script.
public struct ShellRunsProgramRule: Rule {
  public static let description = RuleDescription(
    id: "DA108", name: "shell-runs-program", severity: .error,
    summary: "run the program directly: drop the shell from ENTRYPOINT",
    rationale: """
      `sh FILE` does not run FILE: it reads FILE as a shell script. With a bare shell as the ENTRYPOINT \
      (`["/bin/sh"]`, `["bash"]`, `["sh", "-e"]`), Docker appends CMD, so `CMD ["/usr/bin/supervisord"]` \
      becomes `/bin/sh /usr/bin/supervisord`, and the shell reads a Python program (or an ELF binary: \
      "cannot execute binary file") line by line. The container fails at start. dockadvise knows what a \
      file is from its first bytes when it comes from the build context (ELF magic, a shebang naming \
      another interpreter) and from its program table when a package a RUN installs puts it at that \
      path. The rest of the chain is analysed as if the program ran directly, so its own problems are \
      reported too. The fix removes the shell: the program becomes PID 1 itself.
      """,
    fixDescription: "drop the shell from ENTRYPOINT",
    nonTriggering: [
      Example("FROM ubuntu\nRUN apt-get update && apt-get install -y supervisor\nCMD [\"/usr/bin/supervisord\", \"-n\"]\n"),
      Example("FROM alpine\nCOPY run.sh /run.sh\nENTRYPOINT [\"/bin/sh\"]\nCMD [\"/run.sh\"]\n", files: ["run.sh": "#!/bin/sh\nexec app\n"]),
      Example("FROM alpine\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"exec app\"]\n"),
      Example("FROM alpine\nENTRYPOINT [\"/bin/sh\"]\nCMD [\"/usr/local/bin/app\"]\n"),
    ],
    triggering: [
      Example("FROM ubuntu\nRUN apt-get update && apt-get install -y supervisor\n↓ENTRYPOINT [\"/bin/sh\"]\nCMD [\"/usr/bin/supervisord\", \"-n\"]\n"),
      Example("FROM alpine\nCOPY app.py /app.py\n↓ENTRYPOINT [\"sh\", \"-e\"]\nCMD [\"/app.py\"]\n", files: ["app.py": "#!/usr/bin/env python3\nprint('hi')\n"]),
      Example("FROM debian\nRUN apt-get update && apt-get install -y nginx\n↓CMD [\"bash\", \"/usr/sbin/nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM debian\nCOPY app /usr/local/bin/app\n↓ENTRYPOINT [\"/bin/bash\"]\nCMD [\"/usr/local/bin/app\", \"--serve\"]\n", files: ["app": "\u{7F}ELF\u{2}\u{1}\u{1}"]),
    ],
    corrections: [
      Correction(
        Example("FROM ubuntu\nRUN apt-get update && apt-get install -y supervisor\nENTRYPOINT [\"/bin/sh\"]\nCMD [\"/usr/bin/supervisord\", \"-n\"]\n"),
        Example("FROM ubuntu\nRUN apt-get update && apt-get install -y supervisor\nCMD [\"/usr/bin/supervisord\", \"-n\"]\n")),
      Correction(
        Example("FROM node:20\nCOPY app.py /app.py\nENTRYPOINT [\"sh\", \"-e\"]\nCMD [\"/app.py\"]\n", files: ["app.py": "#!/usr/bin/env python3\nprint('hi')\n"]),
        Example("FROM node:20\nCOPY app.py /app.py\nENTRYPOINT []\nCMD [\"/app.py\"]\n", files: ["app.py": "#!/usr/bin/env python3\nprint('hi')\n"])),
    ])

  public init() {}

  /// Base images with no ENTRYPOINT of their own: dropping the line there changes nothing else.
  static let plainOSImages: Set<String> = [
    "ubuntu", "debian", "alpine", "busybox", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux",
  ]

  public func check(_ context: LintContext) -> [Finding] {
    context.launch.shellReadsPrograms.map { misuse in
      let anchor = misuse.shellArgvSource == .entrypoint ? context.image.entrypoint?.keyword : context.image.cmd?.keyword
      let location = anchor ?? misuse.shell.location ?? context.launch.definingInstruction ?? context.dockerfileRange(.empty(at: 0))
      let shell = DaemonCatalog.basename(misuse.shell.value)
      return finding(
        at: location,
        "\(shell) reads \(misuse.program.value) as a shell script, but it is \(misuse.what): the container fails at start",
        notes: [Finding.Note("the program is named here", at: misuse.program.location)] + misuse.notes, fix: fix(misuse, context))
    }
  }

  /// An exec-form ENTRYPOINT that is only the shell (and its options), with the program in CMD: the
  /// ENTRYPOINT goes (`ENTRYPOINT []` where a base image may set one).
  func fix(_ misuse: Launch.ShellReadsProgram, _ context: LintContext) -> Fix? {
    guard misuse.shellArgvSource == .entrypoint, misuse.programArgvSource == .cmd, let entrypoint = context.image.entrypoint,
      let words = entrypoint.words, words.count == misuse.shellWordCount, entrypoint.stage == context.image.finalStage
    else { return nil }
    let file = entrypoint.instruction.file
    let inheritsNothing =
      context.image.chain.first.map { context.image.stages[$0].baseStage == nil } == true
      && context.image.base.map { Self.plainOSImages.contains($0.repository) } == true
      && !context.image.chain.dropLast().contains { context.image.stages[$0].entrypoint != nil }
    if inheritsNothing {
      var end = entrypoint.instruction.range.end
      if end < file.bytes.count, file.bytes[end] == UInt8(ascii: "\r") { end += 1 }
      if end < file.bytes.count, file.bytes[end] == UInt8(ascii: "\n") { end += 1 }
      let range = SourceRange(start: entrypoint.instruction.range.start, end: end)
      return Fix(title: "run \(misuse.program.value) directly", safety: .safe, edits: [.replace(range, with: "", in: file.path)])
    }
    return Fix(title: "run \(misuse.program.value) directly", safety: .safe, edits: [.replace(entrypoint.arguments.range, with: "[]", in: file.path)])
  }
}
