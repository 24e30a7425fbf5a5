/// How dockadvise-init gets into the image the swift-init strategy writes (`fix --init-source`).
public enum InitSource: Sendable, Equatable {
  /// A `FROM swift` build stage compiles it from the sources written into the context, with musl-tools
  /// installed in that stage so that it is the static musl build (about 60 KiB, not glibc's 720 KiB).
  case build
  /// A prebuilt file in the build context (a path relative to it), copied in.
  case binary(String)
  /// The published release for the target architecture, fetched with `ADD --checksum`.
  case release(InitRelease)
}

/// A published dockadvise-init: where each architecture's binary is and its SHA-256.
public struct InitRelease: Sendable, Equatable {
  /// The release (dockadvise's version, without the `v` of the tag).
  public var version: String
  /// SHA-256 (64 lowercase hex digits) per `uname -m` architecture name.
  public var checksums: [String: String]

  public init(version: String, checksums: [String: String]) {
    self.version = version
    self.checksums = checksums
  }

  /// BuildKit's TARGETARCH and the architecture name of the asset (`uname -m`), in the order the
  /// stages are written. The first is the default when TARGETARCH is unset (the classic builder).
  public static let architectures: [(targetArch: String, arch: String)] = [("amd64", "x86_64"), ("arm64", "aarch64")]

  /// Where the release workflow (.github/workflows/release.yml) publishes the assets.
  public static let downloadBase = "https://github.com/dockadvise/dockadvise/releases/download"

  /// The asset name of the init for an architecture (`Scripts/release-build.sh` names it so).
  public static func assetName(arch: String) -> String { "dockadvise-init-\(arch)" }

  public func url(arch: String) -> String { "\(Self.downloadBase)/v\(version)/\(Self.assetName(arch: arch))" }

  /// Reads a checksums file in `sha256sum` format (`HEX  NAME` or `HEX *NAME`, as
  /// `Scripts/release-checksums.sh` writes SHA256SUMS) and takes the init's line for every architecture.
  /// The message says what is missing or malformed (file:line).
  public static func parse(checksumsFile text: String, path: String, version: String) -> Result<InitRelease, InitReleaseProblem> {
    var found: [String: String] = [:]
    var number = 0
    // "\r\n" is one Character: split on newline Characters, not on "\n".
    for trimmed in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      number += 1
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let fields = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
      guard fields.count == 2 else {
        return .failure(InitReleaseProblem("\(path):\(number): expected 'SHA256  NAME' (sha256sum format)"))
      }
      let hex = fields[0].lowercased()
      var name = Substring(fields[1]).drop { $0 == " " }
      if name.hasPrefix("*") { name = name.dropFirst() }
      guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
        return .failure(InitReleaseProblem("\(path):\(number): '\(fields[0])' is not a SHA-256 (64 hex digits)"))
      }
      // A path (`dist/dockadvise-init-x86_64`) counts by its last component.
      let base = name.split(separator: "/").last.map(String.init) ?? String(name)
      for (_, arch) in architectures where base == assetName(arch: arch) {
        if let earlier = found[arch], earlier != hex {
          return .failure(InitReleaseProblem("\(path):\(number): a second, different checksum for \(base)"))
        }
        found[arch] = hex
      }
    }
    let missing = architectures.map(\.arch).filter { found[$0] == nil }
    guard missing.isEmpty else {
      let names = missing.map { assetName(arch: $0) }.joined(separator: " and ")
      return .failure(InitReleaseProblem("\(path) has no checksum for \(names); the image could not be built for every architecture"))
    }
    return .success(InitRelease(version: version, checksums: found))
  }
}

/// Why a checksums file cannot be used.
public struct InitReleaseProblem: Error, Equatable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
