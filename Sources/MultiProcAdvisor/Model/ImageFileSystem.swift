/// The files of the final image that dockadvise knows the content of, by absolute path.
public struct ImageFileSystem: Sendable {
  private var files: [String: ImageFile] = [:]
  /// Directories known to exist (created by COPY of a directory, `mkdir`, or as parents of files).
  private var directories: Set<String> = ["/"]

  public init() {}

  /// Normalises an absolute or relative (to `workdir`) path: collapses `.`, `..` and duplicate slashes.
  public static func normalize(_ path: String, workdir: String = "/") -> String {
    let joined = path.hasPrefix("/") ? path : (workdir.hasSuffix("/") ? workdir : workdir + "/") + path
    return "/" + DockerIgnore.clean(joined)
  }

  public var allFiles: [ImageFile] { files.keys.sorted().compactMap { files[$0] } }
  public var isEmpty: Bool { files.isEmpty }

  public func file(at path: String) -> ImageFile? { files[Self.normalize(path)] }

  public func isDirectory(_ path: String) -> Bool { directories.contains(Self.normalize(path)) }

  public func exists(_ path: String) -> Bool { file(at: path) != nil || isDirectory(path) }

  /// Adds or replaces a file (and records its parent directories).
  public mutating func add(_ file: ImageFile) {
    var stored = file
    stored.path = Self.normalize(file.path)
    files[stored.path] = stored
    var parent = stored.path
    while let slash = parent.lastIndex(of: "/"), parent != "/" {
      parent = slash == parent.startIndex ? "/" : String(parent[..<slash])
      directories.insert(parent)
    }
  }

  public mutating func addDirectory(_ path: String) {
    var directory = Self.normalize(path)
    directories.insert(directory)
    while let slash = directory.lastIndex(of: "/"), directory != "/" {
      directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
      directories.insert(directory)
    }
  }

  public mutating func remove(_ path: String) {
    let normalized = Self.normalize(path)
    files[normalized] = nil
    let prefix = normalized == "/" ? "/" : normalized + "/"
    for key in files.keys where key.hasPrefix(prefix) { files[key] = nil }
  }

  /// Marks a known file executable (`chmod +x`).
  public mutating func setExecutable(_ path: String, _ executable: Bool = true) {
    let normalized = Self.normalize(path)
    files[normalized]?.executable = executable
  }

  /// Files directly inside `directory` (not in subdirectories), sorted by path.
  public func files(in directory: String) -> [ImageFile] {
    let prefix = Self.normalize(directory) == "/" ? "/" : Self.normalize(directory) + "/"
    return files.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }.sorted().compactMap { files[$0] }
  }

  /// Names of the entries (files and directories) directly inside `directory`, sorted.
  public func entries(in directory: String) -> [String] {
    let base = Self.normalize(directory)
    let prefix = base == "/" ? "/" : base + "/"
    var names = Set<String>()
    for key in files.keys where key.hasPrefix(prefix) {
      if let name = key.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(name)) }
    }
    for key in directories where key.hasPrefix(prefix) && key != base {
      if let name = key.dropFirst(prefix.count).split(separator: "/").first { names.insert(String(name)) }
    }
    return names.sorted()
  }

  /// Every file under `directory`, recursively.
  public func files(under directory: String) -> [ImageFile] {
    let prefix = Self.normalize(directory) == "/" ? "/" : Self.normalize(directory) + "/"
    return files.keys.filter { $0.hasPrefix(prefix) }.sorted().compactMap { files[$0] }
  }

  /// Paths of files matching an absolute glob.
  public func paths(matching pattern: GlobPattern) -> [String] {
    files.keys.filter { pattern.matches($0) }.sorted()
  }
}
