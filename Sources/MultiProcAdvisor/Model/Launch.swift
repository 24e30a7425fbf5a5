import DockerfileParser

/// What runs as PID 1 and what it runs in turn, as far as dockadvise can follow: the effective
/// ENTRYPOINT + CMD, through inits, `sh -c` strings, scripts (and their `exec`), to supervisord,
/// s6-overlay, a process manager or the application.
public struct Launch: Sendable {
  /// A word of the effective argv, with its place in the Dockerfile when it has one.
  public struct Word: Sendable {
    public var value: String
    public var location: FileRange?
    public init(_ value: String, location: FileRange? = nil) {
      self.value = value
      self.location = location
    }
  }

  /// An init in the chain (tini, dumb-init, catatonit, dockadvise-init, or one the config trusts).
  public struct InitProcess: Sendable {
    public enum Kind: String, Sendable {
      case tini, dumbInit = "dumb-init", catatonit, dockadviseInit = "dockadvise-init", dockerInit = "docker-init", trusted
    }
    public var kind: Kind
    public var program: String
    public var location: FileRange?
    /// Flags given to it (`-g`, `-s`, `-p`…).
    public var flags: [String]
    /// Whether it signals the child's whole process group (tini/catatonit `-g`; dumb-init by default).
    public var signalsGroup: Bool
    /// Whether it can reap orphans where it runs (PID 1, or a subreaper).
    public var isPID1: Bool
    public var isSubreaper: Bool { flags.contains("-s") || kind == .dumbInit || kind == .dockadviseInit }
    /// The instruction or script where it is named, and the end of its options (where a flag goes).
    public var optionInsertionPoint: FileRange?
    /// Whether it is an exec-form JSON element (a flag is inserted as a new element) or a shell word.
    public var isJSONElement: Bool
  }

  /// supervisord in the chain.
  public struct SupervisordProcess: Sendable {
    public var command: CommandReference
    /// The configuration file it reads (`-c`, or the first default that exists).
    public var configPath: String?
    /// Whether `-c` named the file explicitly.
    public var configFromFlag: Bool
    /// `-n` / `--nodaemon` on the command line.
    public var hasNodaemonFlag: Bool
    public var config: SupervisordConfig?
    public var isPID1: Bool
    /// Whether the configuration is the default file of the package this Dockerfile installs (Debian's
    /// `/etc/supervisor/supervisord.conf`, Alpine's `/etc/supervisord.conf`), not one the image copies.
    /// Configuration files that are text written inside another file (a heredoc, a build script):
    /// fixes cannot edit them.
    public var writtenFiles: Set<String> = []
    /// Where the configuration file got text this Dockerfile does not show (`RUN php conf.php > FILE`):
    /// supervisord reads a file that is there, but nothing is known of what it says.
    public var configContentUnknownFrom: ImageFile.Origin? = nil
    /// Configuration files the entrypoint writes before it execs supervisord (`cat > …/x.conf <<EOF`).
    public var configWrittenAtStart: [ImageFile] = []
    /// Whether a fix can edit this configuration file (not a package default, not written text).
    public func isEditable(_ file: SourceFile) -> Bool { !file.path.hasPrefix(ImageFile.packagePathPrefix) && !writtenFiles.contains(file.path) }
    public var configIsPackageDefault: Bool { config?.files.first?.path.hasPrefix(ImageFile.packagePathPrefix) ?? false }
    /// Where `-n` can be inserted (after the program word), and whether the word is a JSON element.
    public var flagInsertionPoint: FileRange?
    public var isJSONElement: Bool
  }

  /// A process manager dockadvise does not model in detail but trusts to reap and forward.
  public struct ManagerProcess: Sendable {
    public var name: String
    public var location: FileRange?
    /// The folder whose `*/run` scripts it supervises (`runsvdir DIR`, `s6-svscan DIR`, my_init's
    /// `/etc/service`), when known.
    public var scanDirectory: String?
    /// Scripts it runs once at start, before the services (my_init's `/etc/my_init.d/*`, `/etc/rc.local`).
    public var startupScripts: [String] = []
    /// Scripts it runs when the container stops (my_init's `/etc/my_init.pre_shutdown.d/*` and
    /// `/etc/my_init.post_shutdown.d/*`): what they stop is managed, not abandoned.
    public var shutdownScripts: [String] = []
    /// The main command it runs and whose exit ends the container (`my_init -- CMD`), followed by the
    /// next steps.
    public var hasMainCommand = false
    /// Whether it is PID 1 itself: named by ENTRYPOINT/CMD, or `exec`ed by the shell that was.
    public var isPID1 = false

    public init(name: String, location: FileRange?, scanDirectory: String? = nil) {
      self.name = name
      self.location = location
      self.scanDirectory = scanDirectory
    }
  }

  /// The application at the end of the chain.
  public struct ProgramProcess: Sendable {
    public var command: CommandReference
    public var isPID1: Bool
  }

  public enum Step: Sendable {
    case initProcess(InitProcess)
    case shell(ShellProgram)
    case supervisord(SupervisordProcess)
    /// s6-overlay's `/init` (or its renamed copy).
    case s6Overlay(location: FileRange?)
    case manager(ManagerProcess)
    case program(ProgramProcess)
    /// The chain cannot be followed further (inherited from an unknown base, a script that cannot be found…).
    case unknown(reason: String)
  }

  /// A shell-form ENTRYPOINT or CMD in effect (DA101).
  public struct ShellFormUse: Sendable {
    public enum Kind: Sendable { case entrypoint, cmd }
    public var kind: Kind
    /// The instruction keyword (the finding's location).
    public var keyword: FileRange
    public var program: ShellProgram
    /// Whether the shell is PID 1 (nothing in front of it).
    public var isPID1: Bool
    /// What runs the shell when it is not PID 1 (`tini`).
    public var parentName: String
    /// For a shell-form ENTRYPOINT: the CMD it ignores.
    public var ignoredCommand: FileRange?
    public var notes: [Finding.Note]
  }

  /// A file the chain runs that a COPY/ADD should bring from the context but cannot (DA003).
  public struct MissingContextFile: Sendable {
    public var imagePath: String
    public var contextPath: String
    /// missing, excluded by .dockerignore, outside the context…
    public var reason: String
    /// The COPY/ADD source word.
    public var sourceWord: FileRange
    public var notes: [Finding.Note]
  }

  /// A shell asked to read a file as a script that is a binary or another interpreter's script
  /// (`ENTRYPOINT ["/bin/sh"]` + `CMD ["/usr/bin/supervisord"]`, DA108). The chain goes on as if the
  /// program ran directly.
  public struct ShellReadsProgram: Sendable {
    /// The shell's word (argv[0]) and its options.
    public var shell: Word
    public var shellArgvSource: ShellProgram.ArgvSource
    /// How many argv words the shell and its options take (what the fix drops).
    public var shellWordCount: Int
    public var program: Word
    public var programArgvSource: ShellProgram.ArgvSource
    /// What the file is (`a Python script`, `an ELF binary`) and how dockadvise knows.
    public var what: String
    public var notes: [Finding.Note]
  }

  /// The effective argv of PID 1 (ENTRYPOINT + CMD; shell form as `/bin/sh -c TEXT`).
  public var argv: [Word] = []
  /// The ENTRYPOINT (or CMD, without ENTRYPOINT) that supplies argv[0], when set in this file.
  public var definingInstruction: FileRange?
  /// The CMD in effect, when set in this file.
  public var cmdInstruction: FileRange?
  public var steps: [Step] = []
  /// Whether s6-overlay's /init runs as PID 1: named by ENTRYPOINT/CMD, or reached through a wrapper
  /// script's `exec /init "$@"`, which replaces the shell.
  public var s6OverlayIsPID1 = false
  /// The base image whose ENTRYPOINT and CMD run, when this file sets neither (from `BaseImage.knownImages`).
  public var inheritedFrom: String?
  public var shellForms: [ShellFormUse] = []
  /// Scripts a shell of the chain runs and waits for, or sources (`/opt/setup.sh`, `. /etc/app.env`),
  /// at any depth: what they start outlives them (a daemon that forks is left behind).
  public var helperPrograms: [ShellProgram] = []
  public var missingContextFiles: [MissingContextFile] = []
  public var shellReadsPrograms: [ShellReadsProgram] = []
  /// The package.json script the chain's package manager runs (`npm start`), when it ends in one.
  public var packageScript: PackageScript?

  public init() {}

  /// Every shell program in the chain.
  public var shellPrograms: [ShellProgram] {
    steps.compactMap { if case .shell(let program) = $0 { return program } else { return nil } }
  }

  /// The inits in the chain.
  public var inits: [InitProcess] {
    steps.compactMap { if case .initProcess(let process) = $0 { return process } else { return nil } }
  }

  /// The first step: what is PID 1.
  public var pid1: Step? { steps.first }

  /// The process manager that is PID 1 (systemd, my_init, runsvdir…): named by ENTRYPOINT/CMD or
  /// `exec`ed by the shell that was.
  public var pid1Manager: ManagerProcess? {
    for step in steps { if case .manager(let manager) = step, manager.isPID1 { return manager } }
    return nil
  }

  /// Whether an init, supervisord, s6-overlay or a trusted process manager is PID 1 (reaps and forwards),
  /// also when a wrapper script that is PID 1 first `exec`s it (`exec /init "$@"`, `exec tini -- …`).
  public var hasInitAsPID1: Bool {
    switch steps.first {
    case .initProcess, .supervisord, .s6Overlay, .manager: return true
    default: return s6OverlayIsPID1 || inits.contains(where: \.isPID1) || supervisord?.isPID1 == true || pid1Manager != nil
    }
  }

  /// Whether s6-overlay runs a main program (the CMD after `/init`, however /init is reached): its exit
  /// ends the container, and the s6 services are its helpers.
  public var runsMainProgramUnderS6: Bool {
    guard let index = steps.firstIndex(where: { if case .s6Overlay = $0 { return true } else { return false } }) else { return false }
    return index + 1 < steps.count
  }

  /// The supervisord in the chain, if any.
  public var supervisord: SupervisordProcess? {
    for step in steps { if case .supervisord(let process) = step { return process } }
    return nil
  }

  /// Whether s6-overlay's /init is in the chain.
  public var runsS6Overlay: Bool {
    steps.contains { if case .s6Overlay = $0 { return true } else { return false } }
  }

  /// The application the chain ends in, if it ends in one.
  public var mainProgram: ProgramProcess? {
    if case .program(let program) = steps.last { return program }
    return nil
  }
}
