import DockerfileParser
import Foundation
import MultiProcAdvisor

/// `dockadvise fix [--diff | --check | --write] [--unsafe] [--strategy S] [--init-source build|binary PATH|release] [--context DIR]
/// [--target STAGE] [--force] PATH...`: applies the rules' fixes to a fixed point and shows, checks or
/// writes the result.
enum FixCommand {
  static let command = CLI.Command(
    name: "fix", summary: "rewrite a Dockerfile (and the files it runs) so PID 1 behaves",
    usage: """
      usage: dockadvise fix [--diff | --check | --write] [OPTIONS] PATH...

      Applies every fix dockadvise knows, re-checking after each round until nothing changes. PATH is a
      Dockerfile, a directory holding one (Dockerfile or Containerfile), or '-' for standard input (with
      --diff or --check). Safe fixes keep what the image runs (exec form, `exec`, foreground flags,
      STOPSIGNAL…); --unsafe or --strategy also restructure how several services run.

      modes:
        --diff               print a unified diff (git format) of every change and new file; write nothing (default)
        --check              print nothing; exit 1 when something would change (for CI and pre-commit)
        --write              write the changes: atomically, keeping file modes, never through a symlink
                             that leads out of the build context; nothing is written if any file cannot be

      options:
        --unsafe             also apply fixes that restructure the services (the strategy below)
        --strategy S         swift-init (default): dockadvise-init runs a Procfile; s6: s6-overlay v3;
                             wrapper: a `wait -n` bash script behind tini. Implies --unsafe
        --init-source S      how swift-init's dockadvise-init enters the image:
                             build (default): a `FROM swift` stage compiles it (static, musl) from the
                               sources written into dockadvise/init/;
                             binary PATH: a prebuilt one inside the build context, copied in (make one
                               with `dockadvise emit-init DIR && DIR/build.sh OUT`);
                             release: `ADD --checksum=sha256:...` of the published one for TARGETARCH,
                               with the checksums of --init-checksums
        --init-binary PATH   the same as --init-source binary PATH
        --init-checksums FILE  the release's SHA256SUMS (sha256sum format) for --init-source release
        --context DIR        the build context (default: each Dockerfile's directory)
        --target STAGE       fix the image of this stage rather than the last one
        --rules CODES        only the fixes of these rules (DA101,DA107 or their names, comma-separated)
        -f, --force          let --write replace files that exist and were not written by dockadvise
                             (an existing dockadvise/Procfile, for example)

      Findings that no fix removes are listed on standard error after the diff.
      Before anything is shown or written, every changed or created file is read again and the image
      linted again: when a fix leaves a file that does not parse, a finding that was not there, or the
      finding it was for, nothing is written and the fix is named.
      Exit status: 0 done (with --check: nothing would change), 1 with --check when something would
      change, 2 on a usage error, an unreadable input, when the fixes fail that check, or when writing
      is refused.

      """, run: run)

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    let options: FixOptions
    switch FixOptions.parse(arguments) {
    case .failure(let problem):
      io.stderr.write("dockadvise: fix: \(problem.description)\n")
      io.stderr.write("run 'dockadvise fix --help' for the options\n")
      return .failure
    case .success(let parsed):
      options = parsed
    }
    var targets: [FixWriter.Target] = []
    var changes: [UnifiedDiff.Change] = []
    var remarks: [String] = []
    var replaced: [String] = []
    let pipeline = FixPipeline(options: options, io: io)
    for path in options.paths {
      switch pipeline.run(path) {
      case .failure(let failure):
        for line in failure.lines { io.stderr.write(line.raw ? line.text + "\n" : "dockadvise: fix: \(line.text)\n") }
        return .failure
      case .success(let output):
        targets += output.targets
        changes += output.changes
        replaced += output.replaced
        remarks += output.remarks
      }
    }

    let changed = changes.contains { $0.old != $0.new }
    switch options.mode {
    case .diff:
      io.stdout.write(UnifiedDiff.render(changes))
    case .check:
      break
    case .write:
      do {
        let plan = try FixWriter.plan(targets, force: options.force)
        try FixWriter.commit(plan)
        if !plan.isEmpty { io.stderr.write("dockadvise: fix: wrote \(FixRemarks.summary(plan.map(\.displayPath)))\n") }
      } catch {
        io.stderr.write("dockadvise: fix: \(error)\n")
        return .failure
      }
    }
    if options.mode != .write {
      for path in replaced {
        io.stderr.write("dockadvise: fix: \(path) exists and would be replaced\(options.force ? "" : " (--write refuses unless dockadvise wrote it, or with --force)")\n")
      }
    }
    if !remarks.isEmpty { io.stderr.write(remarks.joined(separator: "\n") + "\n") }
    if options.mode == .check && changed { return .findings }
    return .success
  }
}
