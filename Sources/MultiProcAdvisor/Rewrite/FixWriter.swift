#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes what `fix` produced to disk, all or nothing: every target is resolved and checked first
/// (inside the build context, no symlink leading out of it, no foreign file overwritten), then every new
/// content is written to a temporary file beside its target, and only when all of them are written are
/// they renamed over their targets. File modes (and, as root, owners) of replaced files are kept.
public enum FixWriter {
  /// One file to write.
  public struct Target: Sendable, Equatable {
    /// The path shown to the user (the fixer's display path).
    public var displayPath: String
    /// The real path to write, after resolving symlinks (see `resolve`).
    public var path: String
    public var bytes: [UInt8]
    /// Whether a fix created the file (rather than edited an existing one).
    public var created: Bool
    /// For created files: whether it must be executable.
    public var executable: Bool

    public init(displayPath: String, path: String, bytes: [UInt8], created: Bool, executable: Bool) {
      self.displayPath = displayPath
      self.path = path
      self.bytes = bytes
      self.created = created
      self.executable = executable
    }
  }

  /// Why nothing was written.
  public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path leads out of the build context (through `..` or a symlink).
    case outsideContext(String)
    /// A component of the path is a file, or the target is not a regular file.
    case notAFile(String)
    /// Created files that exist with other content, and that dockadvise did not write.
    case wouldOverwrite([String])
    /// Two Dockerfiles want different contents for one file.
    case conflictingContents(String)
    case system(operation: String, path: String, message: String)

    public var description: String {
      switch self {
      case .outsideContext(let path):
        return "refusing to write '\(path)': it leads outside the build context (through '..' or a symlink)"
      case .notAFile(let path):
        return "cannot write '\(path)': it (or a directory on its way) is not a regular file"
      case .wouldOverwrite(let paths):
        return overwriteRefusal(paths) + "; nothing was written (use --force to overwrite)"
      case .conflictingContents(let path):
        return "two Dockerfiles need different contents for '\(path)'; fix them one at a time"
      case .system(let operation, let path, let message):
        return "cannot \(operation) '\(path)': \(message)"
      }
    }
  }

  // MARK: paths

  /// `path` made absolute against `directory`, with `.`, `..` and repeated slashes removed lexically.
  public static func absolute(_ path: String, in directory: String) -> String {
    let joined = path.hasPrefix("/") ? path : directory + "/" + path
    var parts: [Substring] = []
    for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  /// The real path of `relative` inside `root` for writing: symlinks are followed only while they stay
  /// inside the root (an absolute target counts as outside, as the context reader treats it); components
  /// that do not exist yet are kept as they are (they will be created).
  public static func resolve(_ relative: String, in root: String) -> Result<String, Problem> {
    var components = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    var resolved: [String] = []
    var hops = 0
    let display = relative
    while !components.isEmpty {
      let name = components.removeFirst()
      if name == "." { continue }
      if name == ".." {
        if resolved.isEmpty { return .failure(.outsideContext(display)) }
        resolved.removeLast()
        continue
      }
      let candidate = root + "/" + (resolved + [name]).joined(separator: "/")
      var info = stat()
      if lstat(candidate, &info) != 0 {
        guard errno == ENOENT else { return .failure(systemError("inspect", candidate)) }
        // Missing from here on: the rest is created as written (but may still not climb out).
        resolved.append(name)
        for rest in components where rest != "." {
          if rest == ".." {
            if resolved.isEmpty { return .failure(.outsideContext(display)) }
            resolved.removeLast()
          } else {
            resolved.append(rest)
          }
        }
        components = []
        break
      }
      switch info.st_mode & S_IFMT {
      case S_IFLNK:
        hops += 1
        if hops > 40 { return .failure(.system(operation: "resolve", path: candidate, message: "too many levels of symbolic links")) }
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink(candidate, &buffer, buffer.count - 1)
        guard length >= 0 else { return .failure(systemError("read the link", candidate)) }
        let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return .failure(.outsideContext(display)) }
        components = target.split(separator: "/", omittingEmptySubsequences: true).map(String.init) + components
      case S_IFDIR:
        resolved.append(name)
      case S_IFREG:
        guard components.isEmpty else { return .failure(.notAFile(display)) }
        resolved.append(name)
      default:
        return .failure(.notAFile(display))
      }
    }
    guard !resolved.isEmpty else { return .failure(.notAFile(display)) }
    return .success(root + "/" + resolved.joined(separator: "/"))
  }

  // MARK: checking

  /// The bytes at `path`, nil when it does not exist.
  public static func read(_ path: String) throws(Problem) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw systemError("read", path)
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw systemError("read", path)
      }
      if count == 0 { return bytes }
      bytes += chunk[0..<count]
    }
  }

  /// Whether a file that exists with other content than a fix wants to create may be replaced without
  /// `--force`: only an init source that `emit-init` (or an earlier fix) wrote and nobody edited since,
  /// as its directory's `.dockadvise-init` manifest records.
  static func isOwnUnedited(_ path: String, existing: [UInt8]) -> Bool {
    guard let slash = path.lastIndex(of: "/") else { return false }
    let directory = String(path[..<slash])
    let name = String(path[path.index(after: slash)...])
    if name == EmbeddedInit.manifestName { return true }
    guard let manifest = try? read(directory + "/" + EmbeddedInit.manifestName) else { return false }
    let hash = FNV1a.hex(of: existing)
    return String(decoding: manifest, as: UTF8.self).split(separator: "\n").contains { $0 == "\(hash) \(name)" }
  }

  /// The targets that would change something on disk, after checking every one of them. Throws, having
  /// written nothing, when a created file would replace a foreign one (unless `force`), or a target is
  /// not a regular file.
  public static func plan(_ targets: [Target], force: Bool) throws(Problem) -> [Target] {
    var byPath: [String: Target] = [:]
    var order: [String] = []
    for target in targets {
      if let earlier = byPath[target.path] {
        if earlier.bytes != target.bytes { throw .conflictingContents(target.displayPath) }
        continue
      }
      byPath[target.path] = target
      order.append(target.path)
    }
    var changes: [Target] = []
    var foreign: [String] = []
    for path in order {
      let target = byPath[path]!
      var info = stat()
      if stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG { throw .notAFile(target.displayPath) }
      let existing = try read(path)
      if let existing {
        let wantsExecutable = target.created && target.executable && info.st_mode & 0o111 == 0
        if existing == target.bytes && !wantsExecutable { continue }
        if target.created && existing != target.bytes && !force && !isOwnUnedited(path, existing: existing) {
          foreign.append(target.displayPath)
          continue
        }
      }
      changes.append(target)
    }
    guard foreign.isEmpty else { throw .wouldOverwrite(foreign) }
    return changes
  }

  // MARK: writing

  /// Writes every target (see the type's description). On failure, temporary files and the directories
  /// made for them are removed and no target has been replaced.
  public static func commit(_ targets: [Target]) throws(Problem) {
    var made: [String] = []
    var temporaries: [(temporary: String, target: String)] = []
    func rollBack() {
      for (temporary, _) in temporaries { unlink(temporary) }
      for directory in made.reversed() { rmdir(directory) }
    }
    do throws(Problem) {
      for target in targets {
        let slash = target.path.lastIndex(of: "/")!
        let directory = String(target.path[..<slash])
        try makeDirectories(directory.isEmpty ? "/" : directory, made: &made)
        var info = stat()
        let exists = stat(target.path, &info) == 0
        let mode: mode_t = exists ? (target.created && target.executable ? (info.st_mode & 0o7777) | 0o111 : info.st_mode & 0o7777) : (target.executable ? 0o755 : 0o644)
        let temporary = directory + "/." + String(target.path[target.path.index(after: slash)...]) + ".dockadvise-\(getpid())"
        temporaries.append((temporary, target.path))
        try writeFile(target.bytes, to: temporary, mode: mode, owner: exists ? (info.st_uid, info.st_gid) : nil)
      }
    } catch {
      rollBack()
      throw error
    }
    for (temporary, target) in temporaries where rename(temporary, target) != 0 {
      let failure = systemError("replace", target)
      rollBack()
      throw failure
    }
  }

  private static func systemError(_ operation: String, _ path: String) -> Problem {
    .system(operation: operation, path: path, message: String(cString: strerror(errno)))
  }

  /// `mkdir -p`, remembering the directories it made.
  private static func makeDirectories(_ path: String, made: inout [String]) throws(Problem) {
    var info = stat()
    if stat(path, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFDIR else { throw .notAFile(path) }
      return
    }
    guard errno == ENOENT else { throw systemError("use directory", path) }
    if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
      try makeDirectories(String(path[..<slash]), made: &made)
    }
    if mkdir(path, 0o755) != 0 {
      if errno != EEXIST { throw systemError("create directory", path) }
    } else {
      made.append(path)
    }
  }

  private static func writeFile(_ bytes: [UInt8], to path: String, mode: mode_t, owner: (uid_t, gid_t)?) throws(Problem) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw systemError("write", path) }
    var failure: Problem? = nil
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          failure = systemError("write", path)
          return
        }
        offset += count
      }
    }
    if failure == nil, let owner, geteuid() == 0 { _ = fchown(fd, owner.0, owner.1) }
    if failure == nil && (fchmod(fd, mode) != 0 || fsync(fd) != 0) { failure = systemError("write", path) }
    if close(fd) != 0 && failure == nil { failure = systemError("write", path) }
    if let failure {
      unlink(path)
      throw failure
    }
  }
}
