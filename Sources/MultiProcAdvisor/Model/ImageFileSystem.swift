import DockerfileParser

/// The files of one stage's image as far as this Dockerfile shows them, built as a stack of layers in
/// instruction order (later layers win). Directory copies from the build context are kept as mounts and
/// read lazily, so `COPY . /app` over a large repository costs nothing until a path under it is looked up.
public struct ImageFileSystem: Sendable {
  /// A reference to another stage's file system (for `COPY --from=stage`).
  public final class StageReference: Sendable {
    public let name: String
    public let fileSystem: ImageFileSystem
    init(name: String, fileSystem: ImageFileSystem) {
      self.name = name
      self.fileSystem = fileSystem
    }
  }

  enum Layer: Sendable {
    /// A file whose content is known.
    case file(ImageFile)
    /// The contents of context directory `source` appear under image directory `target`.
    case contextDirectory(target: String, source: String, instruction: FileRange, executable: Bool?)
    /// The contents of `source` in another stage appear under `target`.
    case stageDirectory(target: String, source: String, stage: StageReference, instruction: FileRange)
    /// A file from another stage copied to `target`.
    case stageFile(target: String, source: String, stage: StageReference, instruction: FileRange)
    /// A path that exists with unknown content (from a package, a tarball, a download).
    case opaque(path: String, origin: ImageFile.Origin)
    case directory(String)
    /// `rm -rf path`.
    case removal(String)
    /// `chmod` of a path (recursively for a directory).
    case mode(path: String, executable: Bool)
  }

  private var layers: [Layer] = []
  public let reader: ContextReader?

  public init(reader: ContextReader? = nil) {
    self.reader = reader
  }

  /// Normalises an absolute or relative (to `workdir`) path: collapses `.`, `..` and duplicate slashes.
  public static func normalize(_ path: String, workdir: String = "/") -> String {
    let joined = path.hasPrefix("/") ? path : (workdir.hasSuffix("/") ? workdir : workdir + "/") + path
    return "/" + DockerIgnore.clean(joined)
  }

  static func isSameOrUnder(_ path: String, _ directory: String) -> Bool {
    directory == "/" || path == directory || path.hasPrefix(directory + "/")
  }

  static func relative(_ path: String, to directory: String) -> String {
    directory == "/" ? String(path.dropFirst()) : String(path.dropFirst(directory.count + 1))
  }

  // MARK: Building

  public mutating func add(_ file: ImageFile) {
    var stored = file
    stored.path = Self.normalize(file.path)
    layers.append(.file(stored))
  }

  public mutating func mountContextDirectory(_ source: String, at target: String, instruction: FileRange, executable: Bool? = nil) {
    layers.append(.contextDirectory(target: Self.normalize(target), source: DockerIgnore.clean(source), instruction: instruction, executable: executable))
  }

  public mutating func mountStage(_ stage: StageReference, source: String, at target: String, isDirectory: Bool, instruction: FileRange) {
    if isDirectory {
      layers.append(.stageDirectory(target: Self.normalize(target), source: Self.normalize(source), stage: stage, instruction: instruction))
    } else {
      layers.append(.stageFile(target: Self.normalize(target), source: Self.normalize(source), stage: stage, instruction: instruction))
    }
  }

  public mutating func addOpaque(_ path: String, origin: ImageFile.Origin) {
    layers.append(.opaque(path: Self.normalize(path), origin: origin))
  }

  public mutating func addDirectory(_ path: String) { layers.append(.directory(Self.normalize(path))) }

  public mutating func remove(_ path: String) { layers.append(.removal(Self.normalize(path))) }

  public mutating func setExecutable(_ path: String, _ executable: Bool = true) {
    layers.append(.mode(path: Self.normalize(path), executable: executable))
  }

  /// Moves a path: what was at `source` appears at `target` (content known or not), `source` is removed.
  public mutating func move(_ source: String, to target: String, instruction: FileRange) {
    let from = Self.normalize(source)
    if var file = file(at: from) {
      file.path = Self.normalize(target)
      layers.append(.file(file))
    } else if exists(from) {
      layers.append(.opaque(path: Self.normalize(target), origin: .run(instruction: instruction)))
    }
    layers.append(.removal(from))
  }

  /// Copies a file (`cp SRC DST` in a RUN): what is at `source` also appears at `target`, or inside it
  /// when `target` is a directory. The copy keeps the original's origin and content.
  public mutating func copy(_ source: String, to target: String, instruction: FileRange) {
    let from = Self.normalize(source)
    var to = Self.normalize(target)
    if target.hasSuffix("/") || isDirectory(to), let name = from.split(separator: "/").last {
      to = Self.normalize(to + "/" + name)
    }
    guard to != from else { return }
    if var file = file(at: from) {
      file.path = to
      layers.append(.file(file))
    } else if exists(from), !isDirectory(from) {
      layers.append(.opaque(path: to, origin: .run(instruction: instruction)))
    }
  }

  // MARK: Queries

  /// The file at `path` with its content, when this Dockerfile shows where it comes from.
  public func file(at path: String) -> ImageFile? {
    let target = Self.normalize(path)
    var executableOverride: Bool? = nil
    for layer in layers.reversed() {
      switch layer {
      case .removal(let removed):
        if Self.isSameOrUnder(target, removed) { return nil }
      case .mode(let modePath, let executable):
        if executableOverride == nil, Self.isSameOrUnder(target, modePath) { executableOverride = executable }
      case .file(var file):
        if file.path == target {
          if let executableOverride { file.executable = executableOverride }
          return file
        }
      case .opaque(let opaquePath, _):
        if opaquePath == target { return nil }
      case .directory:
        continue
      case .contextDirectory(let directory, let source, let instruction, let executable):
        guard Self.isSameOrUnder(target, directory), target != directory, let reader else { continue }
        let contextPath = source.isEmpty ? Self.relative(target, to: directory) : source + "/" + Self.relative(target, to: directory)
        if case .file(let source, let isExecutable) = reader.file(contextPath) {
          return ImageFile(
            path: target, origin: .context(contextPath: contextPath, instruction: instruction),
            content: MappedText(bytes: source.bytes, verbatimFrom: 0), source: source,
            executable: executableOverride ?? executable ?? isExecutable)
        }
      case .stageDirectory(let directory, let source, let stage, let instruction):
        guard Self.isSameOrUnder(target, directory), target != directory else { continue }
        let sourcePath = source == "/" ? "/" + Self.relative(target, to: directory) : source + "/" + Self.relative(target, to: directory)
        if var file = stage.fileSystem.file(at: sourcePath) {
          file.origin = .stage(name: stage.name, instruction: instruction, original: file.origin)
          file.path = target
          if let executableOverride { file.executable = executableOverride }
          return file
        }
        if stage.fileSystem.exists(sourcePath) { return nil }
      case .stageFile(let filePath, let source, let stage, let instruction):
        guard filePath == target else { continue }
        if var file = stage.fileSystem.file(at: source) {
          file.origin = .stage(name: stage.name, instruction: instruction, original: file.origin)
          file.path = target
          if let executableOverride { file.executable = executableOverride }
          return file
        }
        return nil
      }
    }
    return nil
  }

  /// Where the file at `path` got content this Dockerfile does not show (`RUN gen > FILE`, a download, a
  /// `cp` of such a file), when that is what is there now: nil for a file of known content, a directory,
  /// or nothing.
  public func unknownContentOrigin(at path: String) -> ImageFile.Origin? {
    let target = Self.normalize(path)
    guard file(at: target) == nil, exists(target) else { return nil }
    for layer in layers.reversed() {
      if case .opaque(let opaquePath, let origin) = layer, opaquePath == target { return origin }
    }
    return nil
  }

  /// Whether anything (file of known or unknown content, or directory) is known at `path`.
  public func exists(_ path: String) -> Bool {
    let target = Self.normalize(path)
    for layer in layers.reversed() {
      switch layer {
      case .removal(let removed):
        if Self.isSameOrUnder(target, removed) { return false }
      case .mode:
        continue
      case .file(let file):
        if Self.isSameOrUnder(file.path, target) { return true }
      case .opaque(let opaquePath, _):
        if Self.isSameOrUnder(opaquePath, target) { return true }
      case .directory(let directory):
        if Self.isSameOrUnder(directory, target) { return true }
      case .contextDirectory(let directory, let source, _, _):
        if Self.isSameOrUnder(directory, target) { return true }
        guard Self.isSameOrUnder(target, directory), let reader else { continue }
        let contextPath = source.isEmpty ? Self.relative(target, to: directory) : source + "/" + Self.relative(target, to: directory)
        switch reader.file(contextPath) {
        case .file, .directory: return true
        default: continue
        }
      case .stageDirectory(let directory, let source, let stage, _):
        if Self.isSameOrUnder(directory, target) { return true }
        guard Self.isSameOrUnder(target, directory) else { continue }
        let sourcePath = source == "/" ? "/" + Self.relative(target, to: directory) : source + "/" + Self.relative(target, to: directory)
        if stage.fileSystem.exists(sourcePath) { return true }
      case .stageFile(let filePath, _, _, _):
        if Self.isSameOrUnder(filePath, target) { return true }
      }
    }
    return false
  }

  /// Whether `path` is a directory (has something under it).
  public func isDirectory(_ path: String) -> Bool {
    let target = Self.normalize(path)
    return !entries(in: target).isEmpty || layers.contains { if case .directory(let d) = $0 { return d == target } else { return false } }
  }

  /// Names of the entries directly inside `directory`, sorted.
  public func entries(in directory: String) -> [String] {
    let base = Self.normalize(directory)
    var names = Set<String>()
    var removed: [String] = []
    func add(_ path: String) {
      guard Self.isSameOrUnder(path, base), path != base else { return }
      if removed.contains(where: { Self.isSameOrUnder(path, $0) }) { return }
      // A name "." or ".." (a context file named `x/.` or a path not normalised) would make the walks
      // below go round forever: `d/.` is `d` again.
      if let name = Self.relative(path, to: base).split(separator: "/").first, name != ".", name != ".." {
        names.insert(String(name))
      }
    }
    for layer in layers.reversed() {
      switch layer {
      case .removal(let path): removed.append(path)
      case .mode: continue
      case .file(let file): add(file.path)
      case .opaque(let path, _): add(path)
      case .directory(let path): add(path)
      case .stageFile(let path, _, _, _): add(path)
      case .contextDirectory(let target, let source, _, _):
        if Self.isSameOrUnder(target, base), target != base {
          add(target)
        } else if Self.isSameOrUnder(base, target), let reader {
          let relative = base == target ? "" : Self.relative(base, to: target)
          let contextPath = [source, relative].filter { !$0.isEmpty }.joined(separator: "/")
          for name in reader.children(contextPath) ?? [] { add(base == "/" ? "/" + name : base + "/" + name) }
        }
      case .stageDirectory(let target, let source, let stage, _):
        if Self.isSameOrUnder(target, base), target != base {
          add(target)
        } else if Self.isSameOrUnder(base, target) {
          let relative = base == target ? "" : Self.relative(base, to: target)
          let sourcePath = relative.isEmpty ? source : (source == "/" ? "/" + relative : source + "/" + relative)
          for name in stage.fileSystem.entries(in: sourcePath) { add(base == "/" ? "/" + name : base + "/" + name) }
        }
      }
    }
    return names.sorted()
  }

  /// Files (with known content) directly inside `directory`.
  public func files(in directory: String) -> [ImageFile] {
    let base = Self.normalize(directory)
    return entries(in: base).compactMap { file(at: base == "/" ? "/" + $0 : base + "/" + $0) }
  }

  /// Files under `directory`, recursively, depth-first by name (bounded by `limit`).
  public func files(under directory: String, limit: Int = 2_000) -> [ImageFile] {
    var result: [ImageFile] = []
    var stack = [Self.normalize(directory)]
    var visited = Set<String>()
    while let current = stack.popLast(), result.count < limit {
      guard visited.insert(current).inserted else { continue }
      for name in entries(in: current).reversed() {
        let child = current == "/" ? "/" + name : current + "/" + name
        if let file = file(at: child) { result.append(file) } else { stack.append(Self.normalize(child)) }
      }
    }
    return result.sorted { $0.path < $1.path }
  }

  /// Paths of files with known content matching an absolute glob.
  public func paths(matching pattern: GlobPattern) -> [String] {
    // Walk from the longest wildcard-free prefix of the pattern.
    let components = pattern.pattern.split(separator: "/").map(String.init)
    var prefix: [String] = []
    for component in components {
      if GlobPattern(component).hasWildcards || component == "**" { break }
      prefix.append(component)
    }
    let root = "/" + prefix.joined(separator: "/")
    if prefix.count == components.count { return file(at: root) != nil ? [root] : [] }
    let onlyOneLevel = components.count == prefix.count + 1 && components.last != "**"
    let candidates = onlyOneLevel ? files(in: root) : files(under: root)
    return candidates.map(\.path).filter { pattern.matches($0) }.sorted()
  }
}
