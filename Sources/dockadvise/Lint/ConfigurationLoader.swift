import DockerfileParser
import MultiProcAdvisor

/// The configuration each Dockerfile is linted with, layered
/// defaults < `.dockadvise.json` (found upward from the Dockerfile, or `--config FILE`) <
/// `DOCKADVISE_CONFIG` (a file path, or the JSON itself) < command-line flags.
/// Files are read once per run and directories searched once each.
final class ConfigurationLoader {
  static let fileName = ".dockadvise.json"
  /// A command-line flag layer, applied last.
  typealias Flags = @Sendable (inout Configuration) -> Void

  private let currentDirectory: String
  /// `--config FILE` (absolute, display), replacing discovery.
  private let explicitFile: (absolute: String, display: String)?
  private let discover: Bool
  private let environment: SourceFile?
  private let flags: Flags
  /// The nearest configuration file of each directory searched (nil: none up to the root).
  private var nearest: [String: String?] = [:]
  /// The layered configuration by configuration file (`""` for none).
  private var layered: [String: Configuration] = [:]

  /// - Parameters:
  ///   - explicitFile: `--config FILE` as given.
  ///   - discover: whether to search for `.dockadvise.json` (off with `--no-config`).
  ///   - environment: the process environment, for `DOCKADVISE_CONFIG`.
  init(currentDirectory: String, explicitFile: String?, discover: Bool, environment: [String: String], flags: @escaping Flags) {
    self.currentDirectory = currentDirectory
    self.explicitFile = explicitFile.map { (Paths.absolute($0, from: currentDirectory), Paths.normalize($0)) }
    self.discover = discover
    self.flags = flags
    if let value = environment["DOCKADVISE_CONFIG"], !value.isEmpty {
      let trimmed = value.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
      if trimmed.hasPrefix("{") {
        self.environment = SourceFile(path: "$DOCKADVISE_CONFIG", text: value)
      } else {
        self.environment = SourceFile(path: value, bytes: [])  // read (and checked) in `prepare`
      }
    } else {
      self.environment = nil
    }
  }

  private var environmentLayer: SourceFile?
  private var prepared = false

  /// Reads `--config` and `DOCKADVISE_CONFIG` once; the problem when either is unusable.
  func prepare() -> ConfigurationProblem? {
    prepared = true
    if let explicitFile {
      if case .failure(let problem) = read(absolute: explicitFile.absolute, display: explicitFile.display, what: "--config") {
        return problem
      }
    }
    if let environment {
      if environment.path == "$DOCKADVISE_CONFIG" {
        environmentLayer = environment
      } else {
        let display = environment.path
        switch read(absolute: Paths.absolute(display, from: currentDirectory), display: display, what: "DOCKADVISE_CONFIG") {
        case .success(let file): environmentLayer = file
        case .failure(let problem): return problem
        }
      }
    }
    return nil
  }

  /// The configuration for a Dockerfile in directory `directory` (absolute).
  func configuration(forDirectory directory: String) -> Result<Configuration, ConfigurationProblem> {
    precondition(prepared, "call prepare() first")
    let file: String?
    if let explicitFile {
      file = explicitFile.absolute
    } else if discover {
      file = nearestFile(from: directory)
    } else {
      file = nil
    }
    let key = file ?? ""
    if let cached = layered[key] { return .success(cached) }
    var configuration = Configuration()
    if let file {
      let display = explicitFile?.display ?? displayPath(file)
      let source: SourceFile
      switch read(absolute: file, display: display, what: nil) {
      case .success(let read): source = read
      case .failure(let problem): return .failure(problem)
      }
      switch configuration.merging(json: source, rules: RuleRegistry.identifiers) {
      case .success(let merged): configuration = merged
      case .failure(let problem): return .failure(ConfigurationProblem(problem.description))
      }
    }
    if let environmentLayer {
      switch configuration.merging(json: environmentLayer, rules: RuleRegistry.identifiers) {
      case .success(let merged): configuration = merged
      case .failure(let problem): return .failure(ConfigurationProblem(problem.description))
      }
    }
    flags(&configuration)
    layered[key] = configuration
    return .success(configuration)
  }

  /// The path of the nearest `.dockadvise.json` at or above `directory`.
  private func nearestFile(from directory: String) -> String? {
    if let cached = nearest[directory] { return cached }
    let candidate = directory == "/" ? "/" + Self.fileName : directory + "/" + Self.fileName
    let found: String?
    switch FileSystem.kind(candidate) {
    case .missing: found = directory == "/" ? nil : nearestFile(from: Paths.directory(of: directory))
    default: found = candidate  // a directory or FIFO of that name is reported when read
    }
    nearest[directory] = found
    return found
  }

  /// Relative to the working directory when inside it.
  private func displayPath(_ absolute: String) -> String {
    Paths.relative(absolute, to: currentDirectory) ?? absolute
  }

  private func read(absolute: String, display: String, what: String?) -> Result<SourceFile, ConfigurationProblem> {
    switch FileSystem.read(absolute, limit: 1 << 20) {
    case .success(let bytes): return .success(SourceFile(path: display, bytes: bytes))
    case .failure(let problem):
      let prefix = what.map { "\($0): " } ?? ""
      return .failure(ConfigurationProblem("\(display): error: \(prefix)\(problem.message)"))
    }
  }
}

/// A configuration that cannot be used; `message` is complete (`path:line:column: error: …`).
struct ConfigurationProblem: Error, Equatable {
  var message: String
  init(_ message: String) { self.message = message }
}
