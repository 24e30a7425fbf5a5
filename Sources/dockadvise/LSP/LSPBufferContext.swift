import MultiProcAdvisor
import Synchronization

/// The build context a language server lints with: the disk, with the editor's unsaved buffers laid
/// over it (an open `entrypoint.sh` is read from the buffer, not the file), and a record of every path
/// the lint asked for, so a later change to one of them re-lints the Dockerfile.
final class LSPBufferContext: BuildContext, @unchecked Sendable {
  let disk: DiskBuildContext
  /// Open buffers by context path.
  private let buffers: [String: [UInt8]]
  private let record = Mutex<(paths: Set<String>, bytes: [String: [UInt8]])>(([], [:]))

  /// - Parameters:
  ///   - root: the context directory (absolute); display paths are absolute too.
  ///   - buffers: open documents by absolute path.
  init(root: String, buffers: [String: [UInt8]]) {
    disk = DiskBuildContext(root: root, displayRoot: root)
    let prefix = root == "/" ? "/" : root + "/"
    var inside: [String: [UInt8]] = [:]
    for (path, bytes) in buffers where path.hasPrefix(prefix) {
      inside[DockerIgnore.clean(String(path.dropFirst(prefix.count)))] = bytes
    }
    self.buffers = inside
  }

  var displayRoot: String { disk.displayRoot }

  /// The absolute paths read (or looked for) so far.
  var pathsRead: Set<String> { record.withLock { $0.paths } }
  /// The bytes each file had when it was read, by absolute path.
  var bytesRead: [String: [UInt8]] { record.withLock { $0.bytes } }

  func absolute(_ contextPath: String) -> String {
    let clean = DockerIgnore.clean(contextPath)
    if clean.isEmpty { return disk.root }
    return disk.root == "/" ? "/" + clean : disk.root + "/" + clean
  }

  func entry(_ path: String) -> ContextEntry {
    let key = DockerIgnore.clean(path)
    let result: ContextEntry
    if let buffer = buffers[key] {
      let executable: Bool
      if case .file(_, let onDisk) = disk.entry(key) { executable = onDisk } else { executable = buffer.starts(with: Array("#!".utf8)) }
      result = .file(bytes: buffer, executable: executable)
    } else {
      result = disk.entry(key)
    }
    let absolute = absolute(key)
    record.withLock { state in
      state.paths.insert(absolute)
      if case .file(let bytes, _) = result { state.bytes[absolute] = bytes }
    }
    return result
  }

  func children(_ path: String) -> [String]? {
    let key = DockerIgnore.clean(path)
    record.withLock { _ = $0.paths.insert(absolute(key)) }
    var names = disk.children(key)
    let prefix = key.isEmpty ? "" : key + "/"
    for buffered in buffers.keys where buffered.hasPrefix(prefix) {
      guard let name = buffered.dropFirst(prefix.count).split(separator: "/").first.map(String.init) else { continue }
      if names == nil { names = [] }
      if !names!.contains(name) { names!.append(name) }
    }
    return names?.sorted()
  }
}
