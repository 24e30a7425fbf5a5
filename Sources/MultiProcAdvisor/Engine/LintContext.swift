import DockerfileParser

/// Everything a rule may look at for one Dockerfile: the syntax, the image model, what runs as PID 1,
/// the service layouts, and the configuration.
public struct LintContext: Sendable {
  public let dockerfile: Dockerfile
  public let configuration: Configuration
  public let image: ImageModel
  public let launch: Launch
  public let s6: S6Layout
  public let runit: RunitLayout
  /// Shell programs run by supervisors: s6 and runit `run` scripts, supervisord program commands.
  public let servicePrograms: [ShellProgram]
  /// The fix that moves every service under a managed layout (the chosen `--strategy`), when one applies.
  public var strategyFix: Fix?
  /// Why there is no strategy fix although services were found (file:line: why), for `fix` to say.
  public var strategyRefusal: String?
  /// The fix that puts an init in front of PID 1 (DA206).
  public var initFix: Fix?
  /// A prebuilt dockadvise-init in the build context (`--init-binary`), used instead of a build stage.
  public var initBinary: String?
  /// `--strategy` was given: offer the migration rather than a fix that keeps the current supervisor.
  public var strategyRequested = false

  public init(
    dockerfile: Dockerfile, configuration: Configuration, image: ImageModel, launch: Launch, s6: S6Layout,
    runit: RunitLayout, servicePrograms: [ShellProgram], strategyFix: Fix? = nil, initFix: Fix? = nil
  ) {
    self.dockerfile = dockerfile
    self.configuration = configuration
    self.image = image
    self.launch = launch
    self.s6 = s6
    self.runit = runit
    self.servicePrograms = servicePrograms
    self.strategyFix = strategyFix
    self.initFix = initFix
    self._pid1Programs = launch.shellPrograms.filter { program in
      switch program.role {
      case .pid1, .initChild: true
      case .service: false
      }
    }
  }

  /// Errors from parsing the Dockerfile (DA001).
  public var dockerfileIssues: [ParseIssue] { dockerfile.issues.filter { $0.severity == .error } }

  /// Every shell program dockadvise analysed: the PID 1 chain, then the services.
  public var shellPrograms: [ShellProgram] { pid1Programs + servicePrograms }

  /// The shell programs of the PID 1 chain that are PID 1 or an init's child (not supervised services).
  public var pid1Programs: [ShellProgram] { _pid1Programs }
  private var _pid1Programs: [ShellProgram] = []

  /// Whether s6-overlay runs the image: its /init is in the chain, this file installs it, or the chain
  /// is inherited from a base image and the image carries s6-overlay service folders.
  public var usesS6Overlay: Bool {
    if launch.runsS6Overlay || image.has(.s6Overlay) || image.has(.s6OverlayLegacy) { return true }
    if case .unknown = launch.steps.first, !s6.isEmpty { return true }
    return false
  }

  /// A range in the Dockerfile.
  public func dockerfileRange(_ range: SourceRange) -> FileRange { FileRange(file: dockerfile.source, range: range) }

  /// The catalogue's verdict for a command, with this image's configuration. Commands with arguments
  /// that are not literals are judged only when the verdict cannot depend on them (init scripts).
  public func daemonVerdict(_ command: CommandReference) -> DaemonCatalog.Verdict? {
    ShellProgramFactory(image: image).daemonVerdict(command)
  }

  /// Makes a program run under bash: its shebang, its `sh` argv word, or a SHELL before a shell-form
  /// instruction. Only where bash is known to be installed (Debian and Ubuntu bases).
  public func bashFix(for program: ShellProgram) -> Fix? {
    guard image.family == .debian else { return nil }
    if let location = program.interpreterLocation {
      if program.interpreterIsShebang {
        return Fix(title: "run it with bash", safety: .safe, edits: [.replace(location.range, with: "#!/bin/bash", in: location.file.path)])
      }
      let replacement = program.interpreterIsJSONElement ? Edits.jsonString("bash") : "bash"
      return Fix(title: "run it with bash", safety: .safe, edits: [.replace(location.range, with: replacement, in: location.file.path)])
    }
    if program.isShellForm, let instruction = program.instruction {
      return Fix(title: "run shell form with bash", safety: .safe, edits: [Edits.insertLine("SHELL [\"/bin/bash\", \"-c\"]", before: instruction)])
    }
    return nil
  }
}
