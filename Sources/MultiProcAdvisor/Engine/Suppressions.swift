import DockerfileParser

/// Suppression comments in one file, applied as a filter after the rules (rules never see them).
///
/// Grammar, by example:
///
///     # dockadvise ignore=DA201,background-process     ← silences those rules on the next statement
///     # dockadvise global ignore=DA105                 ← silences DA105 everywhere in this file
///     # hadolint ignore=DL3025                          ← hadolint's twin of DA101, honoured for it
///
/// The comment applies to the first line after it that is neither blank nor a comment, and to every
/// line of the statement that starts there (a multi-line instruction or command). Codes are matched
/// case-insensitively; names exactly. The same comments work inside scripts, above a command.
public struct Suppressions: Sendable {
  /// hadolint codes whose meaning dockadvise shares, and the dockadvise rule they silence.
  public static let hadolintTwins: [String: String] = ["DL3025": "DA101"]

  private var global: Set<String> = []
  /// Suppressed rule identifiers by the 1-based line they apply to.
  private var byLine: [Int: Set<String>] = [:]
  /// Statement spans: start line → end line.
  private var spans: [Int: Int] = [:]

  public init() {}

  /// Reads the pragmas of `file`. `statements` are the (startLine, endLine) spans of its instructions or
  /// commands, so that a pragma covers a whole multi-line statement.
  public init(file: SourceFile, statements: [(Int, Int)] = []) {
    for (start, end) in statements where spans[start] == nil || spans[start]! < end { spans[start] = end }
    var pending: Set<String> = []
    let lineCount = file.lineCount
    guard lineCount > 0 else { return }
    for line in 1...lineCount {
      let text = file.lineText(line).trimmed(in: " \t\r")
      if text.isEmpty { continue }
      if text.hasPrefix("#") {
        if let (isGlobal, rules) = Self.parsePragma(text) {
          if isGlobal { global.formUnion(rules) } else { pending.formUnion(rules) }
        }
        continue
      }
      if !pending.isEmpty {
        byLine[line, default: []].formUnion(pending)
        pending = []
      }
    }
  }

  /// Parses `# dockadvise [global] ignore=A,B` or `# hadolint [global] ignore=DLxxxx`; returns the rule
  /// identifiers (upper-cased codes, names as written).
  static func parsePragma(_ comment: String) -> (Bool, Set<String>)? {
    var words = comment.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
    guard let tool = words.popFirst()?.lowercased(), tool == "dockadvise" || tool == "hadolint" else { return nil }
    var isGlobal = false
    if words.first?.lowercased() == "global" {
      isGlobal = true
      words = words.dropFirst()
    }
    let rest = words.joined(separator: " ")
    guard rest.lowercased().hasPrefix("ignore") else { return nil }
    var list = rest.dropFirst("ignore".count).trimmed(in: " \t")
    guard list.hasPrefix("=") else { return nil }
    list = String(list.dropFirst()).trimmed(in: " \t")
    var rules = Set<String>()
    for item in list.split(whereSeparator: { $0 == "," || $0 == " " }) {
      let id = String(item)
      if tool == "hadolint" {
        if let twin = hadolintTwins[id.uppercased()] { rules.insert(twin) }
      } else {
        rules.insert(Self.isCode(id) ? id.uppercased() : id)
      }
    }
    return rules.isEmpty ? nil : (isGlobal, rules)
  }

  /// `DA` followed by digits, in any case.
  static func isCode(_ text: String) -> Bool {
    let upper = text.uppercased()
    return upper.hasPrefix("DA") && upper.count > 2 && upper.dropFirst(2).allSatisfy(\.isNumber)
  }

  /// Whether a finding of rule (`id`, `name`) starting on `line` is suppressed.
  public func suppresses(id: String, name: String, line: Int) -> Bool {
    if global.contains(id) || global.contains(name) { return true }
    for (start, rules) in byLine where rules.contains(id) || rules.contains(name) {
      let end = spans[start] ?? start
      if line >= start && line <= end { return true }
    }
    return false
  }

  /// Whether a `global ignore` pragma silences the rule.
  public func suppressesGlobally(id: String, name: String) -> Bool { global.contains(id) || global.contains(name) }

  /// Whether anything is suppressed at all (a fast path).
  public var isEmpty: Bool { global.isEmpty && byLine.isEmpty }
}
