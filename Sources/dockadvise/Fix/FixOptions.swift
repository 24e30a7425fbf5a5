import Foundation
import MultiProcAdvisor

/// What `dockadvise fix` was asked to do, parsed with the shared `Arguments` scanner and validated.
struct FixOptions: Equatable {
  /// How dockadvise-init enters the image, as given (paths not yet checked against the context).
  enum InitSourceChoice: Equatable {
    case build
    case binary(String)
    case release
  }

  enum Mode: String {
    case diff, check, write
  }

  var mode = Mode.diff
  var unsafe = false
  var strategy: Strategy? = nil
  /// `--init-source build|binary PATH|release` (`--init-binary PATH` is `binary PATH`).
  var initSource = InitSourceChoice.build
  /// `--init-checksums FILE`: the release's SHA256SUMS, which `--init-source release` takes the checksums from.
  var initChecksums: String? = nil
  var context: String? = nil
  var target: String? = nil
  var force = false
  /// `--rules DA101,DA102`: only these rules' fixes.
  var rules: Set<String>? = nil
  var paths: [String] = []

  /// The strategy the fixes plan with (`--strategy`, or swift-init).
  var effectiveStrategy: Strategy { strategy ?? .swiftInit }
  /// Whether fixes that restructure the services apply (`--unsafe`, implied by `--strategy`).
  var includeUnsafe: Bool { unsafe || strategy != nil }

  static let options: [Arguments.Option] = [
    .flag("--diff"), .flag("--check"), .flag("--write"), .flag("--unsafe"), .flag("--force", "-f"),
    Arguments.Option("--strategy", value: "S"),
    Arguments.Option("--init-source", value: "build|binary PATH|release"),
    Arguments.Option("--init-binary", value: "PATH"),
    Arguments.Option("--init-checksums", value: "FILE"),
    Arguments.Option("--context", value: "DIR"),
    Arguments.Option("--target", value: "STAGE"),
    Arguments.Option("--rules", value: "CODE|NAME,..."),
  ]

  /// Reads the arguments; a message for the user when they make no sense.
  static func parse(_ arguments: [String]) -> Result<FixOptions, Arguments.Problem> {
    let scanned: Arguments
    switch Arguments.scan(initSourcePaths(arguments), options: options) {
    case .success(let result): scanned = result
    case .failure(let problem): return .failure(problem)
    }
    var result = FixOptions()
    var modes: [Mode] = []
    var sources: [InitSourceChoice] = []
    var binaries: [String] = []
    for occurrence in scanned.occurrences {
      if let value = occurrence.value, value.isEmpty {
        return .failure(.init(description: "\(occurrence.name) needs a value"))
      }
      let value = occurrence.value ?? ""
      switch occurrence.name {
      case "--diff": modes.append(.diff)
      case "--check": modes.append(.check)
      case "--write": modes.append(.write)
      case "--unsafe": result.unsafe = true
      case "--force": result.force = true
      case "--strategy":
        guard let strategy = Strategy(rawValue: value) else {
          let names = Strategy.allCases.map(\.rawValue)
          let suggestion = Arguments.suggest(value, among: names).map { " (did you mean '\($0)'?)" } ?? ""
          return .failure(.init(description: "unknown strategy '\(value)'\(suggestion); expected \(names.joined(separator: ", "))"))
        }
        result.strategy = strategy
      case "--init-source":
        switch value {
        case "build": sources.append(.build)
        case "release": sources.append(.release)
        case "binary": sources.append(.binary(""))
        default:
          let names = ["build", "binary", "release"]
          let suggestion = Arguments.suggest(value, among: names).map { " (did you mean '\($0)'?)" } ?? ""
          return .failure(.init(description: "unknown --init-source '\(value)'\(suggestion); expected build, binary PATH or release"))
        }
      case "--init-binary": binaries.append(value)
      case "--init-checksums": result.initChecksums = value
      case "--context": result.context = value
      case "--target": result.target = value
      case "--rules":
        switch ruleCodes(value) {
        case .failure(let problem): return .failure(problem)
        case .success(let codes): result.rules = (result.rules ?? []).union(codes)
        }
      default: break
      }
    }
    if Set(modes).count > 1 { return .failure(.init(description: "choose one of --diff, --check and --write")) }
    switch initSource(sources, binaries: binaries) {
    case .failure(let problem): return .failure(problem)
    case .success(let source): result.initSource = source
    }
    if result.initChecksums != nil, result.initSource != .release {
      return .failure(.init(description: "--init-checksums is for --init-source release"))
    }
    result.mode = modes.first ?? .diff
    result.paths = scanned.operands
    guard !result.paths.isEmpty else { return .failure(.init(description: "expected a Dockerfile (or a directory, or '-')")) }
    if result.paths.contains("-") {
      if result.mode == .write { return .failure(.init(description: "--write cannot write standard input; use --diff or --check")) }
      if result.paths.count > 1 { return .failure(.init(description: "'-' (standard input) cannot be combined with other paths")) }
    }
    return .success(result)
  }

  /// `--init-source binary PATH` takes two words: the PATH is handed to the scanner as `--init-binary PATH`
  /// (the older spelling, still accepted), so it is not taken for a Dockerfile.
  static func initSourcePaths(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" {
        result.append(contentsOf: arguments[index...])
        break
      }
      result.append(argument)
      index += 1
      var isBinary = argument == "--init-source=binary"
      if argument == "--init-source", index < arguments.count {
        result.append(arguments[index])
        isBinary = arguments[index] == "binary"
        index += 1
      }
      if isBinary, index < arguments.count, !arguments[index].hasPrefix("-") {
        result += ["--init-binary", arguments[index]]
        index += 1
      }
    }
    return result
  }

  /// The one init source that `--init-source` and `--init-binary` name together.
  static func initSource(_ sources: [InitSourceChoice], binaries: [String]) -> Result<InitSourceChoice, Arguments.Problem> {
    if binaries.count > 1 { return .failure(.init(description: "--init-binary (or --init-source binary PATH) can be given once")) }
    var chosen = sources
    if let path = binaries.first {
      // `--init-binary PATH` alone means `--init-source binary PATH`.
      chosen = chosen.map { $0 == .binary("") ? .binary(path) : $0 }
      if !chosen.contains(.binary(path)) { chosen.append(.binary(path)) }
    }
    if Set(chosen.map(\.name)).count > 1 {
      return .failure(.init(description: "choose one init source: --init-source \(chosen.map(\.name).joined(separator: " or "))"))
    }
    guard let source = chosen.first else { return .success(.build) }
    if source == .binary("") {
      return .failure(.init(description: "--init-source binary needs a PATH: a prebuilt dockadvise-init inside the build context"))
    }
    return .success(source)
  }

  /// The codes of `DA101,shell-form-pid1,…`.
  static func ruleCodes(_ text: String) -> Result<Set<String>, Arguments.Problem> {
    var ids: [String] = []
    var names: [String] = []
    for rule in RuleRegistry.all {
      ids.append(rule.description.id)
      names.append(rule.description.name)
    }
    var codes = Set<String>()
    for word in text.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
      if let index = ids.firstIndex(where: { $0.lowercased() == word.lowercased() }) ?? names.firstIndex(of: word) {
        codes.insert(ids[index])
      } else {
        let suggestion = Arguments.suggest(word, among: ids + names).map { " (did you mean '\($0)'?)" } ?? ""
        return .failure(.init(description: "unknown rule '\(word)'\(suggestion)"))
      }
    }
    return .success(codes)
  }
}

extension FixOptions.InitSourceChoice {
  /// The word `--init-source` takes.
  var name: String {
    switch self {
    case .build: "build"
    case .binary: "binary"
    case .release: "release"
    }
  }
}
