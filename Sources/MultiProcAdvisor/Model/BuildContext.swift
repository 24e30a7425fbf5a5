#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What an entry of the build context is, as the image model needs to know it.
public enum ContextEntry: Sendable, Equatable {
  case file(bytes: [UInt8], executable: Bool)
  case directory
  case missing
  /// A symlink (or a path through one) that leads outside the context: never read through it.
  case outsideContext
  case unreadable(String)
}

/// The files `docker build` would send: read by path relative to the context root.
public protocol BuildContext: Sendable {
  /// A display name for the context root (used in notes).
  var displayRoot: String { get }
  /// The entry at `path` (relative, `/`-separated; `""` or `.` is the root).
  func entry(_ path: String) -> ContextEntry
  /// The names in directory `path`, sorted; nil when it is not a readable directory inside the context.
  func children(_ path: String) -> [String]?
}

/// A build context held in memory (rule examples, tests, stdin input).
public struct InMemoryBuildContext: BuildContext {
  public var files: [String: (bytes: [UInt8], executable: Bool)] {
    didSet { directories = Self.directories(of: files) }
  }
  public var displayRoot: String
  /// The names in each directory that holds files (`""` is the root): lookups stay constant-time however
  /// many files the context holds.
  private var directories: [String: Set<String>]

  public init(files: [String: String], executable: Set<String> = [], displayRoot: String = ".") {
    var stored: [String: (bytes: [UInt8], executable: Bool)] = [:]
    for (path, text) in files {
      stored[DockerIgnore.clean(path)] = (Array(text.utf8), executable.contains(path) || text.hasPrefix("#!"))
    }
    self.files = stored
    self.displayRoot = displayRoot
    self.directories = Self.directories(of: stored)
  }

  private static func directories(of files: [String: (bytes: [UInt8], executable: Bool)]) -> [String: Set<String>] {
    var result: [String: Set<String>] = [:]
    for path in files.keys {
      var components = path.split(separator: "/").map(String.init)
      while let name = components.popLast() {
        let (inserted, _) = result[components.joined(separator: "/"), default: []].insert(name)
        if !inserted { break }
      }
    }
    return result
  }

  public func entry(_ path: String) -> ContextEntry {
    let key = DockerIgnore.clean(path)
    if let file = files[key] { return .file(bytes: file.bytes, executable: file.executable) }
    if key.isEmpty || directories[key] != nil { return .directory }
    return .missing
  }

  public func children(_ path: String) -> [String]? {
    let key = DockerIgnore.clean(path)
    guard let names = directories[key] else { return key.isEmpty || files[key] != nil ? [] : nil }
    return names.sorted()
  }
}

/// A build context on disk. Symlinks are followed only while they stay inside the root; reads are
/// limited in size so a hostile context cannot exhaust memory.
public struct DiskBuildContext: BuildContext {
  public let root: String
  public var displayRoot: String
  /// Files larger than this are reported unreadable rather than loaded.
  public var maximumFileSize: Int

  public init(root: String, displayRoot: String? = nil, maximumFileSize: Int = 64 << 20) {
    self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    self.displayRoot = displayRoot ?? root
    self.maximumFileSize = maximumFileSize
  }

  /// Resolves `path` inside the root, following symlinks only within it. Returns the real path, or nil
  /// when the path escapes the root or does not exist.
  func resolve(_ path: String) -> (String, ContextEntry?) {
    var components = DockerIgnore.clean(path).split(separator: "/").map(String.init)
    var resolved: [String] = []
    var hops = 0
    while !components.isEmpty {
      let name = components.removeFirst()
      if name == "." { continue }
      if name == ".." {
        if resolved.isEmpty { return ("", .outsideContext) }
        resolved.removeLast()
        continue
      }
      let candidate = root + "/" + (resolved + [name]).joined(separator: "/")
      var info = stat()
      if lstat(candidate, &info) != 0 {
        return ("", errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(String(cString: strerror(errno))))
      }
      if info.st_mode & S_IFMT == S_IFLNK {
        hops += 1
        if hops > 40 { return ("", .unreadable("too many levels of symbolic links")) }
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink(candidate, &buffer, buffer.count - 1)
        guard length >= 0 else { return ("", .unreadable(String(cString: strerror(errno)))) }
        let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return ("", .outsideContext) }
        components = target.split(separator: "/").map(String.init) + components
        continue
      }
      resolved.append(name)
    }
    return (root + (resolved.isEmpty ? "" : "/" + resolved.joined(separator: "/")), nil)
  }

  public func entry(_ path: String) -> ContextEntry {
    let (real, problem) = resolve(path)
    if let problem { return problem }
    var info = stat()
    guard stat(real, &info) == 0 else { return .unreadable(String(cString: strerror(errno))) }
    switch info.st_mode & S_IFMT {
    case S_IFDIR:
      return .directory
    case S_IFREG:
      if Int(info.st_size) > maximumFileSize { return .unreadable("larger than \(maximumFileSize >> 20) MiB") }
      guard let bytes = Self.read(real, size: Int(info.st_size), limit: maximumFileSize) else { return .unreadable("permission denied") }
      return .file(bytes: bytes, executable: info.st_mode & 0o111 != 0)
    default:
      return .unreadable("not a regular file")
    }
  }

  public func children(_ path: String) -> [String]? {
    let (real, problem) = resolve(path)
    if problem != nil { return nil }
    guard let directory = opendir(real) else { return nil }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// The bytes of the regular file at `path` (POSIX: no Foundation on the lint path); nil when it
  /// cannot be opened. Opens without blocking, so a FIFO swapped in after `stat` cannot hang the read.
  static func read(_ path: String, size: Int, limit: Int) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: max(size, 0))
    var filled = 0
    while true {
      if filled == bytes.count {
        if bytes.count > limit { break }
        bytes += [UInt8](repeating: 0, count: 4096)
      }
      let count = bytes.withUnsafeMutableBytes { buffer in systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled) }
      if count < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if count == 0 { break }
      filled += count
    }
    bytes.removeSubrange(filled...)
    return bytes
  }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, buffer, count) }
