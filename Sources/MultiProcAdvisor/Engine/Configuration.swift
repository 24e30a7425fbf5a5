import DockerfileParser

/// What a user configured: rules to ignore, severity overrides, the failure threshold, and programs to
/// trust as inits. Layered defaults < config file < environment < command-line flags.
public struct Configuration: Sendable, Equatable {
  /// Rule codes or names that never report.
  public var ignored: Set<String> = []
  /// Severity by rule code.
  public var severities: [String: Severity] = [:]
  /// Findings at or above this severity make `lint` exit 1; nil means never.
  public var failOn: Severity? = .warning
  /// Extra programs (basenames or absolute paths) that behave as an init: reap zombies, forward signals.
  public var trustedInits: Set<String> = []
  /// The file the configuration came from, when one was read.
  public var path: String?

  public init() {}

  /// The keys a configuration file may hold.
  public static let keys = ["ignore", "severity", "fail-on", "trusted-inits"]

  /// A configuration file that cannot be used: where and why.
  public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(path):\(line):\(column): error: \(message)" }
  }

  /// Whether a finding of rule (`id`, `name`) is switched off.
  public func isIgnored(id: String, name: String) -> Bool { ignored.contains(id) || ignored.contains(name) }

  /// The severity a rule reports with.
  public func severity(of description: RuleDescription) -> Severity { severities[description.id] ?? description.severity }

  /// Parses `.dockadvise.json` text layered over `self`. `rules` are the known (code, name) pairs for validation.
  public func merging(json file: SourceFile, rules: [(id: String, name: String)]) -> Result<Configuration, Problem> {
    func problem(_ offset: Int, _ message: String) -> Problem {
      let location = file.location(of: offset)
      return Problem(path: file.path, line: location.line, column: location.column, message: message)
    }
    let root: JSONValue
    switch JSONParser.parse(file.bytes) {
    case .success(let value): root = value
    case .failure(let error): return .failure(problem(error.offset, "invalid JSON: \(error.message)"))
    }
    guard root.kind == .object else { return .failure(problem(root.range.start, "expected a JSON object at the top level")) }
    var result = self
    result.path = file.path
    let codes = Set(rules.map(\.id))
    let nameToCode = Dictionary(rules.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
    func ruleCode(_ value: JSONValue) -> Result<String, Problem> {
      guard let text = value.string else { return .failure(problem(value.range.start, "expected a rule code or name as a string")) }
      if codes.contains(text.uppercased()) { return .success(text.uppercased()) }
      if let code = nameToCode[text] { return .success(code) }
      let suggestion = Suggestion.closest(to: text, among: rules.map(\.id) + rules.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
      return .failure(problem(value.range.start, "unknown rule '\(text)'\(suggestion)"))
    }
    for member in root.members {
      guard let key = member.key.string else { continue }
      let value = member.value
      switch key {
      case "ignore":
        guard value.kind == .array else { return .failure(problem(value.range.start, "'ignore' must be an array of rule codes or names")) }
        for element in value.elements {
          switch ruleCode(element) {
          case .success(let code): result.ignored.insert(code)
          case .failure(let error): return .failure(error)
          }
        }
      case "severity":
        guard value.kind == .object else { return .failure(problem(value.range.start, "'severity' must be an object such as {\"DA304\": \"warning\"}")) }
        for entry in value.members {
          let code: String
          switch ruleCode(entry.key) {
          case .success(let found): code = found
          case .failure(let error): return .failure(error)
          }
          guard let text = entry.value.string, let severity = Severity(rawValue: text) else {
            return .failure(problem(entry.value.range.start, "severity must be one of error, warning, info, style"))
          }
          result.severities[code] = severity
        }
      case "fail-on":
        guard let text = value.string else { return .failure(problem(value.range.start, "'fail-on' must be a string")) }
        if text == "none" {
          result.failOn = nil
        } else if let severity = Severity(rawValue: text) {
          result.failOn = severity
        } else {
          return .failure(problem(value.range.start, "'fail-on' must be one of error, warning, info, style, none"))
        }
      case "trusted-inits":
        guard value.kind == .array else { return .failure(problem(value.range.start, "'trusted-inits' must be an array of program names")) }
        for element in value.elements {
          guard let text = element.string, !text.isEmpty else { return .failure(problem(element.range.start, "expected a program name")) }
          result.trustedInits.insert(text)
        }
      default:
        let suggestion = Suggestion.closest(to: key, among: Self.keys).map { " (did you mean '\($0)'?)" } ?? ""
        return .failure(problem(member.key.range.start, "unknown key '\(key)'\(suggestion); known keys: \(Self.keys.joined(separator: ", "))"))
      }
    }
    return .success(result)
  }
}
