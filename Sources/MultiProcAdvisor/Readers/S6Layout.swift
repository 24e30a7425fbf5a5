/// The s6-overlay service layout found in the image: v3 `s6-rc.d` services and the legacy v2
/// `services.d` / `cont-init.d` folders.
public struct S6Layout: Sendable {
  public static let rcDirectory = "/etc/s6-overlay/s6-rc.d"
  public static let legacyServicesDirectory = "/etc/services.d"
  public static let legacyContInitDirectory = "/etc/cont-init.d"
  public static let legacyContFinishDirectory = "/etc/cont-finish.d"
  /// The scan folders s6-overlay's s6-svscan watches at run time (v2, v3): service folders written
  /// there at start (by a cont-init.d script) are supervised like `/etc/services.d` ones.
  public static let runtimeScanDirectories = ["/var/run/s6/services", "/run/service"]

  /// What an s6-rc service's `type` file says.
  public enum ServiceType: String, Sendable {
    case longrun, oneshot, bundle
  }

  /// One `/etc/s6-overlay/s6-rc.d/NAME/` folder.
  public struct Service: Sendable {
    public var name: String
    public var directory: String
    /// nil when `type` is missing; `.some(nil)` is represented by `typeText` being set with an unknown value.
    public var type: ServiceType?
    public var typeFile: ImageFile?
    public var typeText: String?
    public var run: ImageFile?
    public var finish: ImageFile?
    public var up: ImageFile?
    public var down: ImageFile?
    /// Names in `dependencies.d/` (or the `dependencies` file).
    public var dependencies: [String]
    /// Names in `contents.d/` (or the `contents` file), for bundles.
    public var contents: [String]
    /// Any file of the service (for pointing a finding at the folder when `type` is missing).
    public var anyFile: ImageFile?
  }

  /// One legacy `/etc/services.d/NAME/` folder.
  public struct LegacyService: Sendable {
    public var name: String
    public var run: ImageFile?
    public var finish: ImageFile?
  }

  public var services: [Service] = []
  public var legacyServices: [LegacyService] = []
  public var contInit: [ImageFile] = []
  public var contFinish: [ImageFile] = []
  /// Services reachable from the `user` and `user2` bundles through contents and dependencies.
  public var enabled: Set<String> = []
  /// Dependency cycles (each a list of names); s6-rc refuses to compile such a set.
  public var dependencyCycles: [[String]] = []
  /// s6-rc pipelines: the bundle a `pipeline-name` file names, with the longruns of its pipeline (the
  /// last consumer and, through `consumer-for`, every producer before it).
  public var pipelines: [String: [String]] = [:]

  public var isEmpty: Bool { services.isEmpty && legacyServices.isEmpty && contInit.isEmpty }
  public var hasV3Services: Bool { services.contains { $0.name != "user" && $0.name != "user2" && $0.name != "base" } }

  public func service(_ name: String) -> Service? { services.first { $0.name == name } }

  /// The longrun services of both layouts: (name, run, finish), v3 first.
  public var longruns: [(name: String, run: ImageFile?, finish: ImageFile?)] {
    services.filter { $0.type == .longrun }.map { ($0.name, $0.run, $0.finish) }
      + legacyServices.map { ($0.name, $0.run, $0.finish) }
  }

  /// Reads the layout from the image's files.
  public static func read(_ image: ImageFileSystem) -> S6Layout {
    var layout = S6Layout()
    guard image.exists(rcDirectory) || image.exists(legacyServicesDirectory) || image.exists(legacyContInitDirectory)
      || image.exists(legacyContFinishDirectory)
    else { return layout }
    for name in image.entries(in: rcDirectory) {
      let directory = rcDirectory + "/" + name
      guard image.isDirectory(directory) else { continue }
      let typeFile = image.file(at: directory + "/type")
      let typeText = typeFile.map { $0.text.trimmed(in: " \t\r\n") }
      let names: (String) -> [String] = { sub in
        var result = image.entries(in: directory + "/" + sub + ".d")
        if let file = image.file(at: directory + "/" + sub) {
          result += file.text.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        }
        return result
      }
      layout.services.append(
        Service(
          name: name, directory: directory, type: typeText.flatMap(ServiceType.init(rawValue:)), typeFile: typeFile,
          typeText: typeText, run: image.file(at: directory + "/run"), finish: image.file(at: directory + "/finish"),
          up: image.file(at: directory + "/up"), down: image.file(at: directory + "/down"),
          dependencies: names("dependencies"), contents: names("contents"),
          anyFile: image.files(under: directory).first))
    }
    for folder in [legacyServicesDirectory] + runtimeScanDirectories {
      for name in image.entries(in: folder) where !layout.legacyServices.contains(where: { $0.name == name }) {
        let directory = folder + "/" + name
        guard image.isDirectory(directory) else { continue }
        // The run-time scan folders hold s6-overlay's own services too: only those with a known run script.
        let run = image.file(at: directory + "/run")
        if folder != legacyServicesDirectory && run == nil { continue }
        layout.legacyServices.append(LegacyService(name: name, run: run, finish: image.file(at: directory + "/finish")))
      }
    }
    layout.contInit = image.files(in: legacyContInitDirectory)
    layout.contFinish = image.files(in: legacyContFinishDirectory)
    for service in layout.services {
      guard let file = image.file(at: service.directory + "/pipeline-name"),
        let bundle = file.text.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" || $0 == "\r" }).first.map(String.init)
      else { continue }
      var members: [String] = []
      var pending = [service.name]
      while let name = pending.popLast() {
        guard !members.contains(name) else { continue }
        members.append(name)
        if let producers = image.file(at: rcDirectory + "/" + name + "/consumer-for") {
          pending += producers.text.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        }
      }
      layout.pipelines[bundle] = members
    }
    layout.enabled = layout.reachable(from: ["user", "user2"])
    layout.dependencyCycles = layout.findCycles()
    return layout
  }

  /// Names reachable from `roots` through bundle contents and dependencies (an iterative walk).
  func reachable(from roots: [String]) -> Set<String> {
    var byName: [String: Service] = [:]
    for service in services { byName[service.name] = service }
    var seen = Set<String>()
    var stack = roots.filter { byName[$0] != nil || pipelines[$0] != nil }
    while let name = stack.popLast() {
      if let members = pipelines[name], byName[name] == nil {
        if seen.insert(name).inserted { stack.append(contentsOf: members) }
        continue
      }
      guard seen.insert(name).inserted, let service = byName[name] else { continue }
      stack.append(contentsOf: service.contents + service.dependencies)
    }
    return seen
  }

  /// Cycles in `dependencies.d`, found with an iterative depth-first search (no recursion on input depth).
  func findCycles() -> [[String]] {
    var byName: [String: Service] = [:]
    for service in services { byName[service.name] = service }
    var state: [String: Int] = [:]  // 1 = on the stack, 2 = done
    var cycles: [[String]] = []
    for root in services.map(\.name) where state[root] == nil {
      var path: [(String, [String])] = [(root, byName[root]?.dependencies ?? [])]
      state[root] = 1
      while !path.isEmpty {
        if let next = path[path.count - 1].1.popLast() {
          switch state[next] {
          case 1:
            if let start = path.firstIndex(where: { $0.0 == next }) { cycles.append(path[start...].map(\.0)) }
          case nil where byName[next] != nil:
            state[next] = 1
            path.append((next, byName[next]?.dependencies ?? []))
          default:
            break
          }
        } else {
          state[path.removeLast().0] = 2
        }
      }
    }
    return cycles
  }
}

/// runit service folders (`/etc/service/NAME/run`, `/etc/sv/NAME/run`), as runsvdir would start them.
public struct RunitLayout: Sendable {
  public struct Service: Sendable {
    public var name: String
    public var run: ImageFile
    public var finish: ImageFile?
  }

  public var services: [Service] = []

  public static func read(_ image: ImageFileSystem, directories: [String] = ["/etc/service", "/etc/sv"]) -> RunitLayout {
    var layout = RunitLayout()
    for directory in directories where image.exists(directory) {
      for name in image.entries(in: directory) {
        guard let run = image.file(at: directory + "/" + name + "/run") else { continue }
        if layout.services.contains(where: { $0.name == name }) { continue }
        layout.services.append(Service(name: name, run: run, finish: image.file(at: directory + "/" + name + "/finish")))
      }
    }
    return layout
  }
}
