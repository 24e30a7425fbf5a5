#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, buffer, count) }
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, buffer, count) }

/// The few file-system calls the CLI makes, straight to POSIX (no Foundation on the lint path): reads
/// that never block on a FIFO, directory listings, atomic writes.
enum FileSystem {
  /// What a path is.
  enum Kind: Equatable {
    case file
    case directory
    case missing
    /// A FIFO, socket or device: never read.
    case special(String)
    case unreadable(String)
  }

  /// The largest Dockerfile or configuration file dockadvise reads.
  static let maximumFileSize = 16 << 20

  static func errorText(_ code: Int32 = errno) -> String {
    switch code {
    case ENOENT: return "no such file or directory"
    case EACCES: return "permission denied"
    case ENOTDIR: return "a component of the path is not a directory"
    case ELOOP: return "too many levels of symbolic links"
    default: return String(cString: strerror(code)).lowercased()
    }
  }

  /// What `path` is, following symbolic links.
  static func kind(_ path: String) -> Kind {
    var info = stat()
    guard stat(path, &info) == 0 else {
      let code = errno
      return code == ENOENT || code == ENOTDIR ? .missing : .unreadable(errorText(code))
    }
    return kind(mode: info.st_mode)
  }

  static func kind(mode: mode_t) -> Kind {
    switch mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    case S_IFIFO: return .special("a FIFO")
    case S_IFSOCK: return .special("a socket")
    case S_IFCHR, S_IFBLK: return .special("a device")
    default: return .special("not a regular file")
    }
  }

  /// The bytes of the regular file at `path`. Opens without blocking (a FIFO never hangs the read)
  /// and checks the type on the open descriptor, so a file swapped underneath is caught too.
  static func read(_ path: String, limit: Int = maximumFileSize) -> Result<[UInt8], InputProblem> {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return .failure(InputProblem("no such file or directory")) }
      return .failure(InputProblem("cannot read: \(errorText(code))"))
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failure(InputProblem("cannot read: \(errorText())")) }
    switch kind(mode: info.st_mode) {
    case .file: break
    case .directory: return .failure(InputProblem("is a directory, not a Dockerfile"))
    case .special(let what): return .failure(InputProblem("is \(what), not a regular file; dockadvise reads only regular files"))
    default: return .failure(InputProblem("is not a regular file"))
    }
    let size = Int(info.st_size)
    if size > limit { return .failure(InputProblem("is larger than \(limit >> 20) MiB; not a Dockerfile")) }
    var bytes = [UInt8](repeating: 0, count: size)
    var filled = 0
    while true {
      if filled == bytes.count {
        // The file grew since fstat: read on in chunks, up to the limit.
        if bytes.count >= limit + 1 { break }
        bytes += [UInt8](repeating: 0, count: Swift.max(4096, Swift.min(bytes.count, limit + 1 - bytes.count)))
      }
      let count = bytes.withUnsafeMutableBytes { buffer in
        systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
      }
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(InputProblem("cannot read: \(errorText())"))
      }
      if count == 0 { break }
      filled += count
    }
    if filled > limit { return .failure(InputProblem("is larger than \(limit >> 20) MiB; not a Dockerfile")) }
    bytes.removeSubrange(filled...)
    return .success(bytes)
  }

  /// The entries of directory `path` with their kinds (symbolic links followed), sorted by name; nil
  /// when it cannot be listed.
  static func list(_ path: String) -> [(name: String, kind: Kind, isLink: Bool)]? {
    guard let directory = opendir(path) else { return nil }
    defer { closedir(directory) }
    var entries: [(name: String, kind: Kind, isLink: Bool)] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name == "." || name == ".." { continue }
      let type = entry.pointee.d_type
      var isLink = false
      let entryKind: Kind
      switch Int32(type) {
      case Int32(DT_REG): entryKind = .file
      case Int32(DT_DIR): entryKind = .directory
      case Int32(DT_LNK):
        isLink = true
        entryKind = kind(path + "/" + name)
      case Int32(DT_UNKNOWN):
        var info = stat()
        if lstat(path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
          isLink = true
          entryKind = kind(path + "/" + name)
        } else {
          entryKind = kind(path + "/" + name)
        }
      default: entryKind = kind(path + "/" + name)
      }
      entries.append((name, entryKind, isLink))
    }
    entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    return entries
  }

  /// Writes `bytes` to `path` through a temporary file renamed into place; the error text on failure.
  static func writeAtomically(_ bytes: [UInt8], to path: String) -> String? {
    let temporary = path + ".dockadvise-\(getpid())~"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return errorText() }
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written) }
      if count < 0 {
        if errno == EINTR { continue }
        let message = errorText()
        close(descriptor)
        unlink(temporary)
        return message
      }
      written += count
    }
    guard close(descriptor) == 0 else {
      let message = errorText()
      unlink(temporary)
      return message
    }
    guard rename(temporary, path) == 0 else {
      let message = errorText()
      unlink(temporary)
      return message
    }
    return nil
  }

  /// Creates `path` and its missing parents; the error text on failure.
  static func makeDirectories(_ path: String) -> String? {
    if case .directory = kind(path) { return nil }
    let parent = Paths.directory(of: path)
    if parent != path, let problem = makeDirectories(parent) { return problem }
    if mkdir(path, 0o755) != 0 && errno != EEXIST { return errorText() }
    return nil
  }

  /// The number of processors online.
  static var processorCount: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
