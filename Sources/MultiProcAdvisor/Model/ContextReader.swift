import DockerfileParser
import Synchronization

/// Reads build-context files once each, honouring `.dockerignore`, and hands out `SourceFile`s whose
/// paths are what the user sees (relative to the working directory, like the Dockerfile's path).
public final class ContextReader: @unchecked Sendable {
  public let context: any BuildContext
  public let ignore: DockerIgnore
  private let lock = Mutex(())
  private var files: [String: ContextFile] = [:]
  private var listings: [String: [String]?] = [:]

  /// What one context path holds.
  public enum ContextFile: Sendable {
    case file(SourceFile, executable: Bool)
    case directory
    case missing
    case ignored
    case outsideContext
    case unreadable(String)
  }

  public init(context: any BuildContext, ignore: DockerIgnore) {
    self.context = context
    self.ignore = ignore
  }

  /// The path shown to users for a context path.
  public func displayPath(_ contextPath: String) -> String {
    let clean = DockerIgnore.clean(contextPath)
    let root = context.displayRoot
    if root.isEmpty || root == "." { return clean }
    return (root.hasSuffix("/") ? root : root + "/") + clean
  }

  public func file(_ contextPath: String) -> ContextFile {
    let key = DockerIgnore.clean(contextPath)
    if let cached = lock.withLock({ _ in files[key] }) { return cached }
    let result: ContextFile
    if !key.isEmpty && ignore.excludes(key) {
      result = .ignored
    } else {
      switch context.entry(key) {
      case .file(let bytes, let executable): result = .file(SourceFile(path: displayPath(key), bytes: bytes), executable: executable)
      case .directory: result = .directory
      case .missing: result = .missing
      case .outsideContext: result = .outsideContext
      case .unreadable(let reason): result = .unreadable(reason)
      }
    }
    lock.withLock { _ in files[key] = result }
    return result
  }

  /// Names inside a context directory that are not excluded, sorted; nil when it is not a directory.
  public func children(_ contextPath: String) -> [String]? {
    let key = DockerIgnore.clean(contextPath)
    if let cached = lock.withLock({ _ in listings[key] }) { return cached }
    let names = context.children(key)?.filter { name in !ignore.excludes(key.isEmpty ? name : key + "/" + name) }
    lock.withLock { _ in listings[key] = names }
    return names
  }

  /// Context paths (files only) matching a glob relative to the context root, walking only the
  /// directories the pattern can reach. At most `limit` results.
  public func glob(_ pattern: String, limit: Int = 10_000) -> [String] {
    let components = DockerIgnore.clean(pattern).split(separator: "/").map(String.init)
    var results: [String] = []
    var frontier: [String] = [""]
    for (index, component) in components.enumerated() {
      let isLast = index == components.count - 1
      var next: [String] = []
      let pattern = GlobPattern(component)
      for directory in frontier {
        if !pattern.hasWildcards {
          next.append(directory.isEmpty ? component : directory + "/" + component)
          continue
        }
        for name in children(directory) ?? [] where GlobPattern.matchComponent(Array(component.utf8), Array(name.utf8)) {
          next.append(directory.isEmpty ? name : directory + "/" + name)
          if next.count > limit { break }
        }
      }
      frontier = next
      if isLast {
        for path in frontier {
          switch file(path) {
          case .file, .directory: results.append(path)
          default: continue
          }
        }
      }
    }
    return results.sorted()
  }
}
