/// The sources of dockadvise-init, the small PID 1 that dockadvise's rewrite puts in front of a container's
/// services, embedded in dockadvise from `Sources/MultiProcAdvisor/Init/` (see `docs/init.md`).
///
/// The files are written as they are into a build context (`dockadvise/init/`), where a build stage
/// `FROM swift:<version> AS dockadvise-init` runs `build.sh OUTPUT` to compile the static binary. The tests
/// build the init from exactly these bytes.
public enum EmbeddedInit {
  /// One file of the init: its name in the output directory, its bytes, and whether it must be executable.
  public struct File: Sendable, Equatable {
    /// The path relative to the directory the files are written to (the files are flat).
    public var path: String
    /// The file's contents, exactly as in the repository.
    public var bytes: [UInt8]
    /// Whether the file is written with mode 0755 (`build.sh`) rather than 0644.
    public var executable: Bool

    public init(path: String, bytes: [UInt8], executable: Bool) {
      self.path = path
      self.bytes = bytes
      self.executable = executable
    }
  }

  /// Where the rewriter writes the files, relative to the build context.
  public static let contextDirectory = "dockadvise/init"

  /// The build script's path among `files`: `build.sh OUTPUT` compiles and strips the static init.
  public static let buildScript = "build.sh"

  /// Every file of the init, in a stable order: the build script, the C module, the Swift sources.
  public static let files: [File] = [
    File(path: "build.sh", bytes: PackageResources.build_sh, executable: true),
    File(path: "module.modulemap", bytes: PackageResources.module_modulemap, executable: false),
    File(path: "shim.h", bytes: PackageResources.shim_h, executable: false),
    File(path: "Main.swift", bytes: PackageResources.Main_swift, executable: false),
    File(path: "Config.swift", bytes: PackageResources.Config_swift, executable: false),
    File(path: "Procfile.swift", bytes: PackageResources.Procfile_swift, executable: false),
    File(path: "Supervisor.swift", bytes: PackageResources.Supervisor_swift, executable: false),
    File(path: "Signals.swift", bytes: PackageResources.Signals_swift, executable: false),
    File(path: "Text.swift", bytes: PackageResources.Text_swift, executable: false),
  ]

  /// A short fingerprint of all the files (FNV-1a, 64 bits, hex): changes whenever any byte does.
  public static var fingerprint: String {
    var hash = FNV1a()
    for file in files {
      hash.add(Array(file.path.utf8))
      hash.add([0, file.executable ? 1 : 0])
      hash.add(file.bytes)
    }
    return hash.hex
  }
}

/// The 64-bit FNV-1a hash (for manifests and fingerprints, not for security).
struct FNV1a {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func add(_ bytes: [UInt8]) {
    for byte in bytes {
      value ^= UInt64(byte)
      value &*= 0x0000_0100_0000_01b3
    }
  }

  /// Sixteen lower-case hex digits.
  var hex: String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }

  static func hex(of bytes: [UInt8]) -> String {
    var hash = FNV1a()
    hash.add(bytes)
    return hash.hex
  }
}
