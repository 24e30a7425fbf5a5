import MultiProcAdvisor

/// What `dockadvise lint` was asked to do, parsed and validated.
struct LintOptions: Sendable {
  /// One report: a format and where it goes (nil: standard output).
  struct Output: Equatable, Sendable {
    var format: ReportFormat
    var path: String?
  }

  var operands: [String] = []
  var context: String?
  var target: String?
  var buildArguments: [String: String] = [:]
  var outputs: [Output] = [Output(format: .text, path: nil)]
  /// `--fail-on`; `.some(nil)` is `none`.
  var failOn: Severity??
  var noFail = false
  /// Rule codes (normalised) to ignore.
  var ignored: [String] = []
  /// Only these rule codes run (`--rules`); nil for all.
  var only: [String]?
  var severities: [(code: String, severity: Severity)] = []
  var configFile: String?
  var discoverConfig = true
  var colorMode: String?
  var noColor = false
  var stdinFilename: String?
  var jobs: Int?

  static let options: [Arguments.Option] = [
    Arguments.Option("--format", "-f", value: "FORMAT"),
    Arguments.Option("--output", "-o", value: "FILE"),
    Arguments.Option("--context", value: "DIR"),
    Arguments.Option("--target", value: "STAGE"),
    Arguments.Option("--build-arg", value: "NAME[=VALUE]"),
    Arguments.Option("--fail-on", value: "LEVEL"),
    .flag("--no-fail"),
    Arguments.Option("--ignore", value: "CODE|NAME"),
    Arguments.Option("--rules", value: "CODE|NAME,..."),
    Arguments.Option("--severity", value: "CODE=LEVEL"),
    Arguments.Option("--config", value: "FILE"),
    .flag("--no-config"),
    Arguments.Option("--color", value: "WHEN"),
    .flag("--no-color"),
    Arguments.Option("--stdin-filename", value: "PATH"),
    Arguments.Option("--jobs", "-j", value: "N"),
  ]

  static let levels = ["error", "warning", "info", "style"]

  /// Parses `lint`'s arguments; `environment` supplies `--build-arg NAME` values without `=`.
  static func parse(_ arguments: [String], environment: [String: String]) -> Result<LintOptions, Arguments.Problem> {
    let scanned: Arguments
    switch Arguments.scan(arguments, options: options) {
    case .success(let result): scanned = result
    case .failure(let problem): return .failure(problem)
    }
    var result = LintOptions()
    result.operands = scanned.operands
    var outputs: [Output] = []
    var pendingOutput: String?
    for occurrence in scanned.occurrences {
      let value = occurrence.value ?? ""
      switch occurrence.name {
      case "--format":
        guard let format = ReportFormat(rawValue: value) else {
          let suggestion = Arguments.suggest(value, among: ReportFormat.allCases.map(\.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
          return .failure(.init(description: "unknown format '\(value)'\(suggestion); expected \(Arguments.list(ReportFormat.allCases.map(\.rawValue)))"))
        }
        outputs.append(Output(format: format, path: pendingOutput))
        pendingOutput = nil
      case "--output":
        guard !value.isEmpty else { return .failure(.init(description: "--output needs a file name")) }
        if let last = outputs.last, last.path == nil {
          outputs[outputs.count - 1].path = value
        } else if outputs.isEmpty, pendingOutput == nil {
          pendingOutput = value
        } else {
          return .failure(.init(description: "--output '\(value)' has no --format of its own; give one --output after each --format"))
        }
      case "--context": result.context = value
      case "--target":
        guard !value.isEmpty else { return .failure(.init(description: "--target needs a stage name")) }
        result.target = value
      case "--build-arg":
        if let equals = value.firstIndex(of: "=") {
          let name = String(value[..<equals])
          guard !name.isEmpty else { return .failure(.init(description: "--build-arg '\(value)' has no name; expected NAME=VALUE")) }
          result.buildArguments[name] = String(value[value.index(after: equals)...])
        } else if let fromEnvironment = environment[value] {
          // As `docker build --build-arg NAME`: the value comes from the environment.
          result.buildArguments[value] = fromEnvironment
        }
      case "--fail-on":
        if value == "none" {
          result.failOn = .some(nil)
        } else {
          switch Arguments.choice(value, for: "--fail-on", among: levels + ["none"]) {
          case .success(let level): result.failOn = .some(Severity(rawValue: level))
          case .failure(let problem): return .failure(problem)
          }
        }
      case "--no-fail": result.noFail = true
      case "--ignore":
        for item in value.split(separator: ",") {
          switch ruleCode(String(item), flag: "--ignore") {
          case .success(let code): result.ignored.append(code)
          case .failure(let problem): return .failure(problem)
          }
        }
      case "--rules":
        var codes = result.only ?? []
        for item in value.split(separator: ",") {
          switch ruleCode(String(item), flag: "--rules") {
          case .success(let code): codes.append(code)
          case .failure(let problem): return .failure(problem)
          }
        }
        result.only = codes
      case "--severity":
        guard let equals = value.firstIndex(of: "=") else {
          return .failure(.init(description: "--severity '\(value)' must be CODE=LEVEL, such as DA304=warning"))
        }
        let code: String
        switch ruleCode(String(value[..<equals]), flag: "--severity") {
        case .success(let found): code = found
        case .failure(let problem): return .failure(problem)
        }
        let level = String(value[value.index(after: equals)...])
        switch Arguments.choice(level, for: "--severity \(code)", among: levels) {
        case .success(let chosen): result.severities.append((code, Severity(rawValue: chosen)!))
        case .failure(let problem): return .failure(problem)
        }
      case "--config": result.configFile = value
      case "--no-config": result.discoverConfig = false
      case "--color":
        switch Arguments.choice(value, for: "--color", among: ["auto", "always", "never"]) {
        case .success(let mode): result.colorMode = mode
        case .failure(let problem): return .failure(problem)
        }
      case "--no-color": result.noColor = true
      case "--stdin-filename": result.stdinFilename = value
      case "--jobs":
        guard let count = Int(value), count >= 1 else { return .failure(.init(description: "--jobs must be a positive number, not '\(value)'")) }
        result.jobs = count
      default: break
      }
    }
    if let pendingOutput {
      // `--output FILE` before any `--format`: the default text report goes there.
      outputs.append(Output(format: .text, path: pendingOutput))
    }
    if !outputs.isEmpty { result.outputs = outputs }
    if result.outputs.filter({ $0.path == nil }).count > 1 {
      return .failure(.init(description: "only one report can go to standard output; give the others --output FILE"))
    }
    var seenPaths: Set<String> = []
    for output in result.outputs {
      if let path = output.path, !seenPaths.insert(path).inserted {
        return .failure(.init(description: "two reports would be written to '\(path)'"))
      }
    }
    if result.operands.filter({ $0 == "-" }).count > 1 {
      return .failure(.init(description: "standard input ('-') can be linted only once"))
    }
    return .success(result)
  }

  /// A rule code for a code or name, with a suggestion when it is neither.
  static func ruleCode(_ text: String, flag: String) -> Result<String, Arguments.Problem> {
    if let rule = RuleRegistry.rule(text) { return .success(rule.description.id) }
    let candidates = RuleRegistry.identifiers.flatMap { [$0.id, $0.name] }
    let suggestion = Arguments.suggest(text, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    return .failure(.init(description: "\(flag): unknown rule '\(text)'\(suggestion); 'dockadvise rules' lists them"))
  }

  /// The flag layer of the configuration.
  var flagLayer: ConfigurationLoader.Flags {
    let ignored = ignored
    let only = only
    let severities = severities
    let failOn = failOn
    let noFail = noFail
    return { configuration in
      configuration.ignored.formUnion(ignored)
      if let only {
        let keep = Set(only)
        configuration.ignored.formUnion(RuleRegistry.identifiers.map(\.id).filter { !keep.contains($0) })
      }
      for (code, severity) in severities { configuration.severities[code] = severity }
      if let failOn { configuration.failOn = failOn }
      if noFail { configuration.failOn = nil }
    }
  }
}
