#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension EmbeddedInit {
  /// The name of the manifest written next to the files: what was written, with each file's FNV-1a hash,
  /// so that a later write can tell its own unchanged files from files someone else wrote or edited.
  public static let manifestName = ".dockadvise-init"

  /// What `write(to:force:)` did, as paths inside the directory.
  public struct WriteResult: Sendable, Equatable {
    /// Files created or replaced.
    public var written: [String] = []
    /// Files that already had the right bytes.
    public var unchanged: [String] = []
    /// Files of an earlier version that are no longer part of the init (removed only when unedited).
    public var removed: [String] = []
  }

  /// Why `write(to:force:)` wrote nothing, or stopped.
  public enum WriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path exists and is not a directory.
    case notADirectory(String)
    /// These files exist and were not written by `write` (or were edited since); nothing was written.
    case wouldOverwrite([String])
    /// A system call failed: what was done, on which path, and the system's message.
    case system(operation: String, path: String, message: String)

    public var description: String {
      switch self {
      case .notADirectory(let path):
        return "'\(path)' is not a directory"
      case .wouldOverwrite(let paths):
        return overwriteRefusal(paths) + " (or changed since); use --force to overwrite"
      case .system(let operation, let path, let message):
        return "cannot \(operation) '\(path)': \(message)"
      }
    }
  }

  /// Writes `files` into `directory` (created if needed), each through a temporary file and a rename.
  ///
  /// A file that exists with other bytes is replaced only when the manifest shows that `write` wrote it
  /// and it was not edited since, or with `force`; otherwise nothing at all is written and the error lists
  /// the files. Files an earlier version wrote that are no longer part of the init are removed when unedited.
  @discardableResult
  public static func write(to directory: String, force: Bool = false) throws(WriteError) -> WriteResult {
    try makeDirectory(directory)
    let manifest = readManifest(in: directory)
    var result = WriteResult()
    var toWrite: [File] = []
    var conflicts: [String] = []
    for file in files {
      let path = directory + "/" + file.path
      guard let existing = try readFile(path) else {
        toWrite.append(file)
        continue
      }
      if existing == file.bytes {
        result.unchanged.append(file.path)
        try setMode(path, executable: file.executable)
      } else if force || manifest[file.path] == FNV1a.hex(of: existing) {
        toWrite.append(file)
      } else {
        conflicts.append(path)
      }
    }
    guard conflicts.isEmpty else { throw .wouldOverwrite(conflicts) }

    for file in toWrite {
      try writeAtomically(file.bytes, to: directory + "/" + file.path, executable: file.executable)
      result.written.append(file.path)
    }
    let current = Set(files.map(\.path))
    for (path, hash) in manifest.sorted(by: { $0.key < $1.key }) where !current.contains(path) {
      let full = directory + "/" + path
      if let existing = try? readFile(full), FNV1a.hex(of: existing) == hash, unlink(full) == 0 {
        result.removed.append(path)
      }
    }
    var text = "# written by dockadvise emit-init: FNV-1a 64 hash and path of each file it wrote\n"
    for file in files { text += FNV1a.hex(of: file.bytes) + " " + file.path + "\n" }
    try writeAtomically(Array(text.utf8), to: directory + "/" + manifestName, executable: false)
    return result
  }

  // MARK: file system helpers (POSIX, so that MultiProcAdvisor needs no Foundation)

  /// `path` → hash, from the manifest; empty when there is none or it is unreadable.
  private static func readManifest(in directory: String) -> [String: String] {
    guard let bytes = try? readFile(directory + "/" + manifestName) else { return [:] }
    var entries: [String: String] = [:]
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
      let parts = line.split(separator: " ", maxSplits: 1)
      if parts.count == 2, parts[0].count == 16 { entries[String(parts[1])] = String(parts[0]) }
    }
    return entries
  }

  private static func systemError(_ operation: String, _ path: String) -> WriteError {
    .system(operation: operation, path: path, message: String(cString: strerror(errno)))
  }

  /// `mkdir -p`; fails when a component exists and is not a directory.
  private static func makeDirectory(_ path: String) throws(WriteError) {
    var status = stat()
    if stat(path, &status) == 0 {
      guard status.st_mode & S_IFMT == S_IFDIR else { throw .notADirectory(path) }
      return
    }
    // ENOTDIR: some component is a file; the recursion finds which.
    guard errno == ENOENT || errno == ENOTDIR else { throw systemError("use directory", path) }
    if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
      try makeDirectory(String(path[..<slash]))
    }
    if mkdir(path, 0o755) != 0 && errno != EEXIST { throw systemError("create directory", path) }
  }

  /// The file's bytes, or nil when it does not exist.
  private static func readFile(_ path: String) throws(WriteError) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw systemError("read", path)
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw systemError("read", path)
      }
      if count == 0 { return bytes }
      bytes += chunk[0..<count]
    }
  }

  private static func setMode(_ path: String, executable: Bool) throws(WriteError) {
    if chmod(path, executable ? 0o755 : 0o644) != 0 { throw systemError("change the mode of", path) }
  }

  /// Writes a sibling temporary file, sets its mode, syncs it, and renames it over `path`.
  private static func writeAtomically(_ bytes: [UInt8], to path: String, executable: Bool) throws(WriteError) {
    let slash = path.lastIndex(of: "/")!
    let temporary = String(path[...slash]) + "." + String(path[path.index(after: slash)...]) + ".tmp-\(getpid())"
    let mode: mode_t = executable ? 0o755 : 0o644
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw systemError("write", path) }
    var failure: WriteError? = nil
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          failure = systemError("write", path)
          return
        }
        offset += count
      }
    }
    if failure == nil && (fchmod(fd, mode) != 0 || fsync(fd) != 0) { failure = systemError("write", path) }
    if close(fd) != 0 && failure == nil { failure = systemError("write", path) }
    if failure == nil && rename(temporary, path) != 0 { failure = systemError("replace", path) }
    if let failure {
      unlink(temporary)
      throw failure
    }
  }
}

/// write(2), named apart from `EmbeddedInit.write(to:force:)`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
