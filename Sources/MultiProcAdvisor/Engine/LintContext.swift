import DockerfileParser

/// Everything a rule may look at for one Dockerfile: the syntax, the image model, what runs as PID 1,
/// the service layouts, and the configuration.
public struct LintContext: Sendable {
  /// What `fix` asks of the strategy fixes; `lint` uses the defaults.
  public struct FixRequest: Sendable, Equatable {
    /// The strategy whose fix the multi-service rules offer.
    public var strategy: Strategy
    /// `--init-source`: how dockadvise-init gets into the image (build stage, a file in the context, the release).
    public var initSource: InitSource
    /// The user asked for a strategy by name (`--strategy`).
    public var strategyRequested: Bool

    public init(strategy: Strategy = .swiftInit, initSource: InitSource = .build, strategyRequested: Bool = false) {
      self.strategy = strategy
      self.initSource = initSource
      self.strategyRequested = strategyRequested
    }
  }

  public let dockerfile: Dockerfile
  public let configuration: Configuration
  public let image: ImageModel
  public let launch: Launch
  public let s6: S6Layout
  public let runit: RunitLayout
  /// Shell programs run by supervisors: s6 and runit `run` scripts, supervisord program commands.
  public let servicePrograms: [ShellProgram]
  /// How `fix` asked for the restructuring fixes (`--strategy`, `--init-source`).
  public let fixRequest: FixRequest
  /// The strategy fixes, planned the first time a rule asks for them.
  private let strategyPlan: StrategyPlan

  /// The fix that moves every service under a managed layout (the chosen `--strategy`), when one applies.
  /// Planned on first use: most images never need it.
  public var strategyFix: Fix? { strategyPlan.strategyFix(for: self) }
  /// Why there is no strategy fix although services were found (file:line: why), for `fix` to say.
  public var strategyRefusal: String? { strategyPlan.strategyRefusal(for: self) }
  /// The fix that puts an init in front of PID 1 (DA206).
  public var initFix: Fix? { strategyPlan.initFix(for: self) }
  /// How dockadvise-init gets into the image (`--init-source`; `--init-binary PATH` is `binary`).
  public var initSource: InitSource { fixRequest.initSource }
  /// `--strategy` was given: offer the migration rather than a fix that keeps the current supervisor.
  public var strategyRequested: Bool { fixRequest.strategyRequested }

  public init(
    dockerfile: Dockerfile, configuration: Configuration, image: ImageModel, launch: Launch, s6: S6Layout,
    runit: RunitLayout, servicePrograms: [ShellProgram], fixRequest: FixRequest = FixRequest()
  ) {
    self.dockerfile = dockerfile
    self.configuration = configuration
    self.image = image
    self.launch = launch
    self.s6 = s6
    self.runit = runit
    self.servicePrograms = servicePrograms
    self.fixRequest = fixRequest
    self.strategyPlan = StrategyPlan(strategy: fixRequest.strategy)
    self.pid1Programs = launch.shellPrograms.filter { program in
      switch program.role {
      case .pid1, .initChild: true
      case .service, .startup: false
      }
    }
  }

  /// Errors from parsing the Dockerfile (DA001).
  public var dockerfileIssues: [ParseIssue] { dockerfile.issues.filter { $0.severity == .error } }

  /// Every shell program dockadvise analysed: the PID 1 chain, then the services.
  public var shellPrograms: [ShellProgram] { pid1Programs + servicePrograms }

  /// The shell programs of the PID 1 chain that are PID 1 or an init's child (not supervised services).
  public let pid1Programs: [ShellProgram]

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
    ShellProgramFactory(image: image, nginxDaemonOffWrittenAtStart: launch.shellPrograms.contains { $0.facts.writesNginxDaemonOff }).daemonVerdict(command)
  }
}
