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
  /// What the fix changes, on structure where it has one (see `FixEdit`).
  public var changes: [FixEdit]
  public var createdFiles: [CreatedFile]

  public init(title: String, safety: Safety, edits: [TextEdit], createdFiles: [CreatedFile] = []) {
    self.init(title: title, safety: safety, changes: edits.map(FixEdit.text), createdFiles: createdFiles)
  }

  public init(title: String, safety: Safety, changes: [FixEdit], createdFiles: [CreatedFile] = []) {
    self.title = title
    self.safety = safety
    self.changes = changes
    self.createdFiles = createdFiles
  }

  /// The fix as byte edits when it is applied alone (what reporters show); `EditApplier` merges the
  /// structural changes of several fixes instead.
  public var edits: [TextEdit] {
    var result: [TextEdit] = []
    var keys: [String: [SectionKeyEdit]] = [:]
    for change in changes {
      if case .sectionKey(let edit) = change { keys[edit.path + "\u{0}\(edit.sectionEnd)", default: []].append(edit) } else { result += change.standalone }
    }
    for (_, group) in keys.sorted(by: { $0.key < $1.key }) { result += SectionKeyEdit.render(group) ?? [] }
    return result
  }

  /// Every path the fix touches or creates.
  public var paths: Set<String> { Set(changes.map(\.path)).union(createdFiles.map(\.path)) }
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
