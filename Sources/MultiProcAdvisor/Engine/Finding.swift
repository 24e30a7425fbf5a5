import DockerfileParser

/// A place in one file: the file (for line:column and code frames) and a byte range in it.
public struct FileRange: Sendable, Hashable {
  public var file: SourceFile
  public var range: SourceRange

  public init(file: SourceFile, range: SourceRange) {
    self.file = file
    self.range = range
  }

  public var start: SourceLocation { file.location(of: range.start) }
  /// The location of the range's end (exclusive).
  public var end: SourceLocation { file.location(of: range.end) }

  public static func == (lhs: FileRange, rhs: FileRange) -> Bool {
    lhs.file.path == rhs.file.path && lhs.range == rhs.range
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(file.path)
    hasher.combine(range)
  }
}

/// One problem a rule found: what, where, why (notes that show the chain), and how to fix it.
public struct Finding: Sendable {
  /// A secondary message, optionally pointing at another place (e.g. the COPY that brought a script in).
  public struct Note: Sendable, Hashable {
    public var message: String
    public var location: FileRange?

    public init(_ message: String, at location: FileRange? = nil) {
      self.message = message
      self.location = location
    }
  }

  public var ruleID: String
  public var ruleName: String
  public var severity: Severity
  public var message: String
  public var location: FileRange
  public var notes: [Note]
  public var fix: Fix?
  /// The Dockerfile instruction the finding stems from when `location` is in another file (the CMD
  /// that runs the script): a suppression comment above it also silences the finding.
  public var instruction: FileRange?
  /// What is left once the rule's own fix has run, deliberately without a fix (DA110 after
  /// `STOPSIGNAL SIGRTMIN+3`: a failed unit still never ends the container). The fix gate does not count
  /// it as the finding its fix was for.
  public var isResidual = false

  public init(
    ruleID: String, ruleName: String, severity: Severity, message: String, location: FileRange,
    notes: [Note] = [], fix: Fix? = nil, instruction: FileRange? = nil
  ) {
    self.ruleID = ruleID
    self.ruleName = ruleName
    self.severity = severity
    self.message = message
    self.location = location
    self.notes = notes
    self.fix = fix
    self.instruction = instruction
  }

  /// Sort order of reports: file, position, then rule code.
  public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
    if lhs.location.file.path != rhs.location.file.path { return lhs.location.file.path < rhs.location.file.path }
    if lhs.location.range.start != rhs.location.range.start { return lhs.location.range.start < rhs.location.range.start }
    if lhs.ruleID != rhs.ruleID { return lhs.ruleID < rhs.ruleID }
    return lhs.message < rhs.message
  }
}

extension Finding: CustomStringConvertible {
  public var description: String {
    "\(location.file.path):\(location.start): \(ruleID) \(message)\(fix.map { " [fix: \($0.title)]" } ?? "")"
  }
}
