/// A set of edits, across one or more files, that is applied together or not at all.
public struct Fix: Sendable, Hashable {
  /// Whether applying the fix keeps what the user meant to run.
  public enum Safety: String, Sendable, Hashable, Codable {
    /// Behaviour-preserving for the user's intent (`exec` before the last command, `-n` for supervisord…).
    case safe
    /// Restructures how processes run (a strategy); applied only with `--unsafe` or `--strategy`.
    case unsafe
  }

  /// A file the fix creates (a Procfile, a generated script, init sources).
  public struct CreatedFile: Sendable, Hashable {
    public var path: String
    public var contents: [UInt8]
    public var executable: Bool

    public init(path: String, contents: [UInt8], executable: Bool = false) {
      self.path = path
      self.contents = contents
      self.executable = executable
    }
  }

  public var title: String
  public var safety: Safety
  public var edits: [TextEdit]
  public var createdFiles: [CreatedFile]

  public init(title: String, safety: Safety, edits: [TextEdit], createdFiles: [CreatedFile] = []) {
    self.title = title
    self.safety = safety
    self.edits = edits
    self.createdFiles = createdFiles
  }

  /// Every path the fix touches or creates.
  public var paths: Set<String> { Set(edits.map(\.path)).union(createdFiles.map(\.path)) }
}

extension EmbeddedInit {
  /// The manifest `write(to:force:)` keeps beside the files, for fixes that create the files themselves:
  /// `emit-init` then recognises them as its own and can update them.
  static var manifest: String {
    var text = "# written by dockadvise emit-init: FNV-1a 64 hash and path of each file it wrote\n"
    for file in files { text += FNV1a.hex(of: file.bytes) + " " + file.path + "\n" }
    return text
  }
}
