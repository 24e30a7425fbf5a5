import MultiProcAdvisor

/// `dockadvise lint [options] [PATH...]`: reports how each Dockerfile gets PID 1 wrong.
enum LintCommand {
  static let command = CLI.Command(
    name: "lint", summary: "report how Dockerfiles get PID 1, signals, zombies and exit codes wrong",
    usage: """
      usage: dockadvise lint [options] [PATH...]

      Lints each PATH: a Dockerfile (whatever its name), a directory (searched recursively for
      Dockerfile, Containerfile, *.Dockerfile, *.dockerfile, Dockerfile.* and Containerfile.*, skipping
      .git and .build), or '-' for standard input. No PATH lints the current directory. The scripts and
      supervisor configurations a Dockerfile runs are read from its build context.

      input:
        --context DIR            the build context (default: each Dockerfile's directory; for '-', the
                                 directory of --stdin-filename, else the current directory)
        --target STAGE           lint the image of this stage instead of the last one
        --build-arg NAME=VALUE   a build argument (repeatable; NAME alone takes the value from the environment)
        --stdin-filename PATH    the path to show (and find the context and configuration from) for '-'

      reports:
        -f, --format FORMAT      text (default), json, sarif, github, checkstyle, junit, codeclimate or gnu;
                                 repeatable, each report to standard output or to its own --output
        -o, --output FILE        write the report of the --format before it to FILE
        --color auto|always|never, --no-color
                                 colour in text reports (auto: only on a terminal, never when NO_COLOR is set)

      rules and exit status:
        --fail-on LEVEL          exit 1 when a finding is at least error, warning (default), info or style;
                                 none never fails
        --no-fail                exit 0 even with findings (2 still means the input or usage was bad)
        --ignore CODE|NAME       do not run this rule (repeatable, or comma-separated)
        --rules CODE|NAME,...    run only these rules
        --severity CODE=LEVEL    report a rule at another severity (repeatable)
        --config FILE            use FILE instead of the .dockadvise.json found above each Dockerfile
        --no-config              use no configuration file
        -j, --jobs N             lint on N threads (default: one per processor)

      configuration, weakest first: defaults, .dockadvise.json (the nearest one at or above each
      Dockerfile, or --config), DOCKADVISE_CONFIG (a file path, or the JSON itself), then the flags. Keys:
      "ignore" [codes or names], "severity" {code: level}, "fail-on" level or "none", "trusted-inits"
      [programs that reap zombies and forward signals].

      exit status: 0 no finding at or above --fail-on; 1 findings at or above it; 2 a usage error, an
      unreadable input or a bad configuration. Reports go to standard output; errors to standard error.

      """, run: run)

  static func run(_ arguments: [String], _ environment: [String: String], _ io: CommandIO) -> ExitCode {
    let options: LintOptions
    switch LintOptions.parse(arguments, environment: environment) {
    case .success(let parsed): options = parsed
    case .failure(let problem):
      io.stderr.write("dockadvise lint: \(problem)\nrun 'dockadvise lint --help' for the options\n")
      return .failure
    }
    let currentDirectory = io.currentDirectory

    if let context = options.context {
      let absolute = Paths.absolute(context, from: currentDirectory)
      switch FileSystem.kind(absolute) {
      case .directory: break
      case .missing:
        io.stderr.write("dockadvise lint: --context '\(context)': no such directory\n")
        return .failure
      default:
        io.stderr.write("dockadvise lint: --context '\(context)': not a directory\n")
        return .failure
      }
    }

    // Inputs and their configurations first, so a bad configuration stops the run before any report.
    let inputs = InputDiscovery.discover(options.operands, currentDirectory: currentDirectory, stdinName: options.stdinFilename)
    let loader = ConfigurationLoader(
      currentDirectory: currentDirectory, explicitFile: options.configFile, discover: options.discoverConfig, environment: environment,
      flags: options.flagLayer)
    if let problem = loader.prepare() {
      io.stderr.write(problem.message + "\n")
      return .failure
    }
    var jobs: [LintRunner.Job] = []
    jobs.reserveCapacity(inputs.count)
    var defaultConfiguration: Configuration?
    for input in inputs {
      let directory: String
      switch input {
      case .file(_, let absolute): directory = Paths.directory(of: absolute)
      case .standardInput(let display):
        directory = Paths.absolute(display == "<stdin>" ? "." : Paths.directory(of: display), from: currentDirectory)
      case .problem:
        if defaultConfiguration == nil { defaultConfiguration = Configuration() }
        jobs.append(LintRunner.Job(input: input, configuration: defaultConfiguration!))
        continue
      }
      switch loader.configuration(forDirectory: directory) {
      case .success(let configuration): jobs.append(LintRunner.Job(input: input, configuration: configuration))
      case .failure(let problem):
        io.stderr.write(problem.message + "\n")
        return .failure
      }
    }

    let color = Terminal.colorEnabled(
      mode: options.colorMode, noColorFlag: options.noColor, environment: environment, isTerminal: io.stdoutIsTerminal)
    let workspace = (environment["GITHUB_WORKSPACE"] ?? environment["CI_PROJECT_DIR"]).flatMap { $0.isEmpty ? nil : Paths.normalize($0) }
    let sinks = options.outputs.map { output in
      ReportSink(
        reporter: output.format.makeReporter(
          ReportContext(currentDirectory: currentDirectory, workspace: workspace, color: color && output.path == nil)),
        path: output.path, io: io)
    }
    for sink in sinks { sink.write(sink.reporter.begin()) }

    let settings = LintRunner.Settings(
      currentDirectory: currentDirectory, context: options.context, target: options.target, buildArguments: options.buildArguments,
      standardInput: inputs.contains { if case .standardInput = $0 { return true } else { return false } } ? io.readStandardInput() : nil)
    var summary = ReportSummary()
    let workers = options.jobs ?? FileSystem.processorCount
    LintRunner.run(jobs, settings: settings, workers: workers) { report in
      summary.add(report)
      if let problem = report.problem { io.stderr.write(problem.formatted(path: report.path) + "\n") }
      for sink in sinks { sink.write(sink.reporter.report(report)) }
    }

    var status: ExitCode = summary.unreadable > 0 ? .failure : (summary.failing > 0 ? .findings : .success)
    for sink in sinks {
      sink.write(sink.reporter.finish(summary))
      if let problem = sink.close(currentDirectory: currentDirectory) {
        io.stderr.write("dockadvise lint: cannot write the report to '\(sink.path ?? "")': \(problem)\n")
        status = .failure
      }
    }
    return status
  }
}

/// Where one report goes: streamed to standard output, or collected and written to its file at the end.
final class ReportSink: @unchecked Sendable {
  let reporter: any Reporter
  let path: String?
  private let io: CommandIO
  private var buffer: [UInt8] = []

  init(reporter: any Reporter, path: String?, io: CommandIO) {
    self.reporter = reporter
    self.path = path
    self.io = io
  }

  func write(_ bytes: [UInt8]) {
    guard !bytes.isEmpty else { return }
    if path == nil { io.stdout.write(bytes) } else { buffer += bytes }
  }

  /// Writes a file report to its path; the error text on failure.
  func close(currentDirectory: String) -> String? {
    guard let path else { return nil }
    return FileSystem.writeAtomically(buffer, to: Paths.absolute(path, from: currentDirectory))
  }
}
