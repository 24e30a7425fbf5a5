import Foundation
import MultiProcAdvisor

/// What `dockadvise fix` was asked to do, parsed with the shared `Arguments` scanner and validated.
struct FixOptions: Equatable {
  enum Mode: String {
    case diff, check, write
  }

  var mode = Mode.diff
  var unsafe = false
  var strategy: Strategy? = nil
  var initBinary: String? = nil
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
    Arguments.Option("--init-binary", value: "PATH"),
    Arguments.Option("--context", value: "DIR"),
    Arguments.Option("--target", value: "STAGE"),
    Arguments.Option("--rules", value: "CODE|NAME,..."),
  ]

  /// Reads the arguments; a message for the user when they make no sense.
  static func parse(_ arguments: [String]) -> Result<FixOptions, Arguments.Problem> {
    let scanned: Arguments
    switch Arguments.scan(arguments, options: options) {
    case .success(let result): scanned = result
    case .failure(let problem): return .failure(problem)
    }
    var result = FixOptions()
    var modes: [Mode] = []
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
      case "--init-binary": result.initBinary = value
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
    result.mode = modes.first ?? .diff
    result.paths = scanned.operands
    guard !result.paths.isEmpty else { return .failure(.init(description: "expected a Dockerfile (or a directory, or '-')")) }
    if result.paths.contains("-") {
      if result.mode == .write { return .failure(.init(description: "--write cannot write standard input; use --diff or --check")) }
      if result.paths.count > 1 { return .failure(.init(description: "'-' (standard input) cannot be combined with other paths")) }
    }
    return .success(result)
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
