import DockerfileParser
import MultiProcAdvisor

/// A place in a file as reports show it: 1-based line and column (Unicode scalars, not counting a
/// UTF-8 byte order mark), the exclusive end, and the byte range for consumers that apply edits.
struct ReportLocation: Equatable, Sendable {
  var path: String
  var line: Int
  var column: Int
  var endLine: Int
  var endColumn: Int
  var offset: Int
  var length: Int

  init(path: String, line: Int, column: Int, endLine: Int, endColumn: Int, offset: Int, length: Int) {
    self.path = path
    self.line = line
    self.column = column
    self.endLine = endLine
    self.endColumn = endColumn
    self.offset = offset
    self.length = length
  }

  init(_ range: FileRange) {
    self.init(file: range.file, range: range.range)
  }

  init(file: SourceFile, range: SourceRange) {
    let start = Self.position(file, range.start)
    let end = range.isEmpty ? start : Self.position(file, range.end)
    self.init(
      path: file.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, offset: range.start,
      length: range.length)
  }

  /// Line and column of `offset`; a byte order mark is not a column (SARIF §3.30.2, and editors agree).
  static func position(_ file: SourceFile, _ offset: Int) -> (line: Int, column: Int) {
    let location = file.location(of: offset)
    var column = location.column
    if location.line == 1, offset >= 3, file.bytes.count >= 3, file.bytes[0] == 0xEF, file.bytes[1] == 0xBB, file.bytes[2] == 0xBF {
      column -= 1
    }
    return (location.line, column)
  }
}

/// Whether a fix keeps what the user meant (the engine's `Fix.Safety`).
typealias FixSafety = Fix.Safety

/// One line of source shown under a finding.
struct FrameLine: Equatable, Sendable {
  var number: Int
  var text: String
  /// The marked columns on this line, 1-based, end exclusive (equal for an insertion point).
  var marked: Range<Int>
}

/// A finding reduced to what reporters print: no references to the analysis or the file bytes, so a
/// run over thousands of files keeps only these.
struct ReportedFinding: Sendable {
  struct Note: Sendable {
    var message: String
    var location: ReportLocation?
  }

  struct Edit: Sendable {
    /// Where the replaced text is (line/column when the file is known to dockadvise, else only offsets).
    var location: ReportLocation
    var replacement: [UInt8]
  }

  struct CreatedFile: Sendable {
    var path: String
    /// Empty for `embeddedInit` files: reports name them instead of repeating 55 KB per finding.
    var contents: [UInt8]
    var executable: Bool
    /// One of the dockadvise-init sources (`dockadvise emit-init DIR` writes the same bytes).
    var embeddedInit: Bool
  }

  struct Fix: Sendable {
    var title: String
    var safety: FixSafety
    var edits: [Edit]
    var createdFiles: [CreatedFile]
  }

  var code: String
  var rule: String
  var severity: Severity
  var message: String
  var location: ReportLocation
  var notes: [Note]
  var fix: Fix?
  /// The offending lines, for code frames.
  var frame: [FrameLine]
  /// Whether this finding's severity reaches its file's failure threshold.
  var fails: Bool
  /// The trimmed text of the first offending line: with the code and the path, the stable part of a
  /// fingerprint (line numbers shift when lines are added above).
  var anchorText: String
}

extension ReportedFinding.Fix {
  /// The directory the fix writes the dockadvise-init sources to, if it does.
  var initDirectory: String? {
    createdFiles.first(where: \.embeddedInit).map { Paths.directory(of: $0.path) }
  }
}

/// Why a file could not be linted.
struct InputProblem: Error, Sendable, Equatable {
  var message: String
  var line: Int?
  var column: Int?

  init(_ message: String, line: Int? = nil, column: Int? = nil) {
    self.message = message
    self.line = line
    self.column = column
  }

  /// `path:line:column: error: message` (or `path: error: message`).
  func formatted(path: String) -> String {
    if let line, let column { return "\(path):\(line):\(column): error: \(message)" }
    return "\(path): error: \(message)"
  }
}

/// Everything reporters learn about one input file.
struct FileReport: Sendable {
  /// The path as reports show it (relative to the working directory when given so).
  var path: String
  var findings: [ReportedFinding]
  /// Set when the file could not be read or linted; then `findings` is empty.
  var problem: InputProblem?
}

/// Totals over a run, for summaries and exit codes.
struct ReportSummary: Sendable, Equatable {
  var files = 0
  var unreadable = 0
  var bySeverity: [Severity: Int] = [:]
  /// Findings with a safe fix (`dockadvise fix` applies them).
  var fixable = 0
  /// Findings whose only fix is unsafe (a strategy).
  var unsafeFixable = 0
  /// Findings at or above their file's failure threshold.
  var failing = 0

  var findings: Int { bySeverity.values.reduce(0, +) }

  mutating func add(_ report: FileReport) {
    if report.problem != nil {
      unreadable += 1
      return
    }
    files += 1
    for finding in report.findings {
      bySeverity[finding.severity, default: 0] += 1
      if let fix = finding.fix {
        if fix.safety == .safe { fixable += 1 } else { unsafeFixable += 1 }
      }
      if finding.fails { failing += 1 }
    }
  }
}

/// What every reporter knows before the first file: how to show paths and who is running.
struct ReportContext: Sendable {
  /// The directory paths are relative to (absolute).
  var currentDirectory: String
  /// Where CI checked the repository out (`GITHUB_WORKSPACE`, `CI_PROJECT_DIR`), absolute; nil outside CI.
  var workspace: String?
  var color: Bool

  /// `path` relative to the workspace (or the working directory), for CI formats.
  func workspacePath(_ path: String) -> String {
    guard let workspace else { return path }
    let absolute = Paths.absolute(path, from: currentDirectory)
    return Paths.relative(absolute, to: workspace) ?? absolute
  }
}

extension ReportedFinding {
  /// Builds the report of a finding. `sources` finds the text of files the fix edits (by display path).
  init(_ finding: Finding, failOn: Severity?, sources: (String) -> SourceFile?) {
    code = finding.ruleID
    rule = finding.ruleName
    severity = finding.severity
    message = finding.message
    fails = failOn.map { finding.severity >= $0 } ?? false
    // Content an installed package supplies (its default supervisord.conf) is no file anyone can open
    // or annotate: point at the instruction instead and name the package file in a note.
    func isPackage(_ range: FileRange) -> Bool { range.file.path.hasPrefix(ImageFile.packagePathPrefix) }
    func inline(_ range: FileRange) -> String {
      let place = ReportLocation(range)
      return "\(place.path):\(place.line):\(place.column)"
    }
    var primary = finding.location
    var extraNotes: [Note] = []
    if isPackage(primary), let real = finding.instruction ?? finding.notes.compactMap(\.location).first(where: { !isPackage($0) }) {
      let text = primary.file.lineText(primary.start.line).trimmed
      extraNotes.append(Note(message: "\(inline(primary)): '\(text)' in the configuration the package installs", location: nil))
      primary = real
    }
    location = ReportLocation(primary)
    notes =
      extraNotes
      + finding.notes.map { note in
        guard let place = note.location else { return Note(message: note.message, location: nil) }
        if isPackage(place) { return Note(message: "\(inline(place)): \(note.message)", location: nil) }
        return Note(message: note.message, location: ReportLocation(place))
      }
    frame = Self.frame(primary)
    let file = primary.file
    anchorText = file.lineText(file.location(of: primary.range.start).line).trimmed
    fix = finding.fix.map { fix in
      Fix(
        title: fix.title, safety: fix.safety,
        edits: fix.edits.map { edit in
          let source = edit.path == file.path ? file : sources(edit.path)
          if let source, edit.range.end <= source.bytes.count {
            return Edit(location: ReportLocation(file: source, range: edit.range), replacement: edit.replacement)
          }
          return Edit(
            location: ReportLocation(path: edit.path, line: 0, column: 0, endLine: 0, endColumn: 0, offset: edit.range.start, length: edit.range.length),
            replacement: edit.replacement)
        },
        createdFiles: fix.createdFiles.map { file in
          let embedded = EmbeddedInit.files.contains { file.path.hasSuffix("/" + $0.path) && $0.bytes == file.contents }
          return CreatedFile(path: file.path, contents: embedded ? [] : file.contents, executable: file.executable, embeddedInit: embedded)
        })
    }
  }

  /// The lines a range covers (at most `limit`; a long range keeps its first and last lines).
  static func frame(_ range: FileRange, limit: Int = 6) -> [FrameLine] {
    let file = range.file
    let start = ReportLocation.position(file, range.range.start)
    var end = range.range.isEmpty ? start : ReportLocation.position(file, range.range.end)
    // A range that ends just after a line break ends on the line before.
    if end.line > start.line && end.column == 1 {
      let previous = file.lineText(end.line - 1)
      end = (end.line - 1, previous.unicodeScalars.count + 1)
    }
    var numbers = Array(start.line...end.line)
    if numbers.count > limit { numbers = Array(numbers.prefix(limit - 2)) + Array(numbers.suffix(2)) }
    return numbers.map { number in
      let text = file.lineText(number)
      let width = text.unicodeScalars.count
      var bomShift = 0
      if number == 1, file.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bomShift = 1 }
      let shown = bomShift == 1 ? String(String.UnicodeScalarView(text.unicodeScalars.dropFirst())) : text
      let lineWidth = width - bomShift
      let from = number == start.line ? start.column : 1
      var to = number == end.line ? end.column : lineWidth + 1
      if range.range.isEmpty { to = from }
      return FrameLine(number: number, text: shown, marked: from..<max(from, min(to, lineWidth + 1)))
    }
  }
}

extension String {
  /// Without leading and trailing blanks.
  var trimmed: String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) else { return "" }
    let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" })!
    return String(scalars[first...last])
  }
}
