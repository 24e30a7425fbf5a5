/// A rule example: a Dockerfile and the build-context files beside it. In triggering examples `↓` marks
/// where each finding must start (in the Dockerfile or in a context file); the markers are removed
/// before linting. Examples are documentation (`explain`), and the tests run every one of them.
public struct Example: Sendable {
  public static let marker = "↓"

  public var dockerfile: String
  /// Build-context files by path relative to the context root (e.g. `"start.sh"`).
  public var files: [String: String]
  /// Extra CLI-style options the example needs (e.g. `["--target", "app"]`).
  public var options: [String]
  /// Where the example is declared, so a failing example is reported at its own line.
  public var sourceFile: String
  public var sourceLine: Int

  public init(
    _ dockerfile: String, files: [String: String] = [:], options: [String] = [],
    sourceFile: String = #filePath, sourceLine: Int = #line
  ) {
    self.dockerfile = dockerfile
    self.files = files
    self.options = options
    self.sourceFile = sourceFile
    self.sourceLine = sourceLine
  }

  /// The Dockerfile with markers removed.
  public var cleanDockerfile: String { dockerfile.replacingMarkers() }
  /// The context files with markers removed.
  public var cleanFiles: [String: String] { files.mapValues { $0.replacingMarkers() } }

  /// The byte offsets of the markers in the cleaned text of `path` (`nil` = the Dockerfile).
  public func markerOffsets(in path: String? = nil) -> [Int] {
    let text = path.map { files[$0] ?? "" } ?? dockerfile
    var offsets: [Int] = []
    var removed = 0
    let markerBytes = Array(Self.marker.utf8)
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
      if bytes[index] == markerBytes[0], index + markerBytes.count <= bytes.count,
        Array(bytes[index..<index + markerBytes.count]) == markerBytes
      {
        offsets.append(index - removed)
        removed += markerBytes.count
        index += markerBytes.count
      } else {
        index += 1
      }
    }
    return offsets
  }
}

/// An example of what `fix` makes of a triggering example: the expected Dockerfile and files afterwards
/// (files not listed are expected unchanged; new files appear under their new path).
public struct Correction: Sendable {
  public var before: Example
  public var after: Example
  /// Fix options (e.g. `["--unsafe"]`, `["--strategy", "wrapper"]`).
  public var options: [String]

  public init(_ before: Example, _ after: Example, options: [String] = []) {
    self.before = before
    self.after = after
    self.options = options
  }
}

extension String {
  fileprivate func replacingMarkers() -> String {
    var result = ""
    result.reserveCapacity(utf8.count)
    for scalar in unicodeScalars where scalar != "↓" { result.unicodeScalars.append(scalar) }
    return result
  }
}
