import DockerfileParser

/// The image the Dockerfile builds, as far as the file shows it: its stages, the settings in effect for
/// the final stage (or `--target`), the files it will contain and the components installed in it.
public struct ImageModel: Sendable {
  /// One `FROM` section.
  public struct Stage: Sendable {
    public var index: Int
    public var name: String?
    /// The image reference after ARG expansion.
    public var baseReference: String
    /// The stage of this file it builds on, if any.
    public var baseStage: Int?
    public var from: FileRange
    /// Whether the stage sets ENTRYPOINT itself (for DA503).
    public var entrypoint: CommandSetting?
  }

  /// An ENTRYPOINT or CMD in effect.
  public struct CommandSetting: Sendable {
    public enum Form: Sendable {
      /// Exec form: the words with the range of each JSON element.
      case exec([Launch.Word])
      /// Shell form: the text with escape-char continuations resolved, mapped back to the Dockerfile.
      case shell(MappedText)
    }
    /// The whole instruction.
    public var instruction: FileRange
    /// The keyword (`CMD`), where findings about the instruction point.
    public var keyword: FileRange
    /// The argument text (where an exec-form rewrite goes).
    public var arguments: FileRange
    public var form: Form
    /// The stage that set it.
    public var stage: Int
    /// The arguments start with `[` but are not a valid JSON string array (BuildKit runs them as shell).
    public var looksLikeJSON: Bool
    /// The SHELL in effect when the instruction was read (what runs a shell form).
    public var shell: [String]

    public var isShellForm: Bool { if case .shell = form { return true } else { return false } }
    public var words: [Launch.Word]? { if case .exec(let words) = form { return words } else { return nil } }
  }

  /// A process-management component found installed in the image.
  public struct Component: Sendable {
    public enum Kind: String, Sendable {
      case tini, dumbInit = "dumb-init", catatonit, supervisor, s6Overlay = "s6-overlay", s6OverlayLegacy = "s6-overlay v2"
      case runit, s6, pm2, dockadviseInit = "dockadvise-init"
    }
    public var kind: Kind
    /// The instruction that installs it.
    public var evidence: FileRange
    /// Where its binary lands, when known (`/usr/bin/tini`, `/sbin/tini`, `/tini`).
    public var path: String?
    /// Installed in the final stage's chain (true) or only in another stage (false).
    public var inFinalImage: Bool
    /// The archive or URL it came from, as the instruction names it after ARG expansion (`…/s6-overlay-noarch.tar.xz`).
    public var archive: String? = nil
  }

  /// A package a RUN of the final stage's chain installs (`apt-get install supervisor`).
  public struct InstalledPackage: Sendable, Equatable {
    public var name: String
    public var manager: ProgramRecord.Install.Manager
    public var evidence: FileRange
  }

  public var stages: [Stage] = []
  /// The stage built (the last, or `--target`).
  public var finalStage: Int = 0
  /// Stage indices from the root of the final stage's chain to the final stage.
  public var chain: [Int] = []
  /// The external image the chain starts from (nil for `scratch` or a stage of an unparseable file).
  public var base: BaseImage?
  /// What `/bin/sh` is in the final image, from the base image and the package manager the file uses.
  public var family: BaseImage.Family = .unknown
  public var entrypoint: CommandSetting?
  public var cmd: CommandSetting?
  /// Whether ENTRYPOINT/CMD may come from an external base image (nothing in the file sets them).
  public var entrypointFromBase: Bool = true
  public var cmdFromBase: Bool = true
  /// SHELL in effect (default `/bin/sh -c`).
  public var shell: [String] = ["/bin/sh", "-c"]
  public var shellSetInFile: Bool = false
  public var stopSignal: (value: String, location: FileRange)?
  public var environment: [String: String] = [:]
  public var workdir: String = "/"
  public var user: String?
  public var files: ImageFileSystem
  public var components: [Component] = []
  /// Configuration that decides whether some servers daemonize (nginx.conf, php-fpm, redis).
  public var daemonFacts = DaemonCatalog.ImageFacts()
  /// COPY/ADD sources of the final image that the context does not have.
  public var missingSources: [MissingSource] = []
  /// Packages installed by RUN in the final stage's chain.
  public var installedPackages: [InstalledPackage] = []
  /// RUN instructions of the final stage's chain whose tar unpacks an xz archive (`tar -C / -Jxpf
  /// s6-overlay-noarch.tar.xz`) on a base image without `xz`, before any `xz-utils`/`xz` package is
  /// installed: the build fails there.
  public var xzUnpackedWithoutXZ: [FileRange] = []
  /// Where `/init` was moved to (`mv /init /s6-init`), when the file does that.
  public var renamedS6Init: [String] = []

  public init(files: ImageFileSystem) {
    self.files = files
  }

  public func components(_ kind: Component.Kind) -> [Component] { components.filter { $0.kind == kind && $0.inFinalImage } }
  public func has(_ kind: Component.Kind) -> Bool { !components(kind).isEmpty }

  /// Docker's default `PATH`, which base images set.
  public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

  /// The value of `PATH` in effect (the Linux default when the file does not set it).
  public var path: [String] {
    (environment["PATH"] ?? Self.defaultPath).split(separator: ":").map(String.init)
  }
}
