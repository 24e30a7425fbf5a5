import MultiProcAdvisor

/// `--format sarif`: SARIF 2.1.0 for GitHub code scanning and SARIF viewers.
///
/// - `tool.driver.rules` lists every rule (id, name, short and full description, help text and
///   markdown, help URI, default level), so `ruleIndex` is stable across runs.
/// - Regions are 1-based lines and columns in Unicode code points (`columnKind`), ends exclusive;
///   each also carries the same range as `byteOffset`/`byteLength` (§3.30.1 allows both when they
///   agree, and the bytes are what dockadvise edits).
/// - URIs are relative to `%SRCROOT%` (the GitHub workspace, else the working directory), which
///   `originalUriBaseIds` defines.
/// - A finding's fix becomes `fixes[].artifactChanges[].replacements`; notes with a place become
///   `relatedLocations`, the others extra lines of the message. The dockadvise-init sources a strategy
///   fix writes are named in the fix's description rather than repeated (55 KB) in every result.
/// - Files that could not be read appear as error notifications of the invocation.
final class SARIFReporter: Reporter {
  static let schema = "https://json.schemastore.org/sarif-2.1.0.json"
  static let baseID = "%SRCROOT%"

  private let context: ReportContext
  private let writer = JSONWriter()
  private var wroteResult = false
  private var notifications: [JSONWriter.Value] = []
  private let ruleIndex: [String: Int]

  init(_ context: ReportContext) {
    self.context = context
    var index: [String: Int] = [:]
    for (position, rule) in RuleRegistry.descriptions.enumerated() { index[rule.id] = position }
    ruleIndex = index
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info, .style: "note"
    }
  }

  func begin() -> [UInt8] {
    let root = context.workspace ?? context.currentDirectory
    let rootURI = Paths.uri(root.hasSuffix("/") ? root : root + "/")
    var output: [UInt8] = []
    output.append("{\n  \"$schema\": \"\(Self.schema)\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": ")
    output += writer.write(.object([("driver", Self.driver())]), level: 3)
    output.append(",\n      \"originalUriBaseIds\": ")
    output += writer.write(.object([(Self.baseID, .object([("uri", .string(rootURI))]))]), level: 3)
    output.append(",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [")
    return output
  }

  func report(_ file: FileReport) -> [UInt8] {
    if let problem = file.problem {
      var notification: [(String, JSONWriter.Value)] = [
        ("level", .string("error")), ("message", .object([("text", .string(problem.formatted(path: file.path)))])),
      ]
      var location: [(String, JSONWriter.Value)] = [("artifactLocation", artifactLocation(file.path))]
      if let line = problem.line { location.append(("region", .object([("startLine", .int(line)), ("startColumn", .int(problem.column ?? 1))]))) }
      notification.append(("locations", .array([.object([("physicalLocation", .object(location))])])))
      notifications.append(.object(notification))
      return []
    }
    var output: [UInt8] = []
    var fingerprints = Fingerprint.Counter()
    for finding in file.findings {
      output.append(wroteResult ? ",\n        " : "\n        ")
      wroteResult = true
      output += writer.write(result(finding, fingerprint: fingerprints.next(finding, path: context.workspacePath(finding.location.path))), level: 4)
    }
    return output
  }

  func finish(_ summary: ReportSummary) -> [UInt8] {
    var output: [UInt8] = []
    output.append(wroteResult ? "\n      ],\n      \"invocations\": " : "],\n      \"invocations\": ")
    var invocation: [(String, JSONWriter.Value)] = [("executionSuccessful", .bool(notifications.isEmpty))]
    if !notifications.isEmpty { invocation.append(("toolExecutionNotifications", .array(notifications))) }
    output += writer.write(.array([.object(invocation)]), level: 3)
    output.append("\n    }\n  ]\n}\n")
    return output
  }

  // MARK: Pieces

  static func driver() -> JSONWriter.Value {
    .object([
      ("name", .string("dockadvise")),
      ("version", .string(CLI.version)),
      ("semanticVersion", .string(CLI.version)),
      ("informationUri", .string("https://github.com/dockadvise/dockadvise")),
      ("rules", .array(RuleRegistry.descriptions.map(rule))),
    ])
  }

  static func rule(_ rule: RuleDescription) -> JSONWriter.Value {
    .object([
      ("id", .string(rule.id)),
      ("name", .string(rule.name)),
      ("shortDescription", .object([("text", .string(rule.summary))])),
      ("fullDescription", .object([("text", .string(rule.rationale))])),
      (
        "help",
        .object([
          ("text", .string(RuleDocumentation.plainHelp(rule))),
          ("markdown", .string(RuleDocumentation.markdown(rule))),
        ])
      ),
      ("helpUri", .string(rule.helpURI)),
      ("defaultConfiguration", .object([("level", .string(level(rule.severity)))])),
      ("properties", .object([("tags", .array([.string("dockerfile"), .string("pid1")])), ("precision", .string("high"))])),
    ])
  }

  func artifactLocation(_ path: String) -> JSONWriter.Value {
    let relative = context.workspacePath(path)
    if relative.hasPrefix("/") { return .object([("uri", .string(Paths.uri(relative)))]) }
    return .object([("uri", .string(Paths.uri(relative))), ("uriBaseId", .string(Self.baseID))])
  }

  func region(_ location: ReportLocation, bytes: Bool) -> JSONWriter.Value {
    var members: [(String, JSONWriter.Value)] = []
    if location.line > 0 {
      members += [
        ("startLine", .int(location.line)), ("startColumn", .int(location.column)),
        ("endLine", .int(location.endLine)), ("endColumn", .int(location.endColumn)),
      ]
    }
    if bytes || location.line == 0 { members += [("byteOffset", .int(location.offset)), ("byteLength", .int(location.length))] }
    return .object(members)
  }

  func physicalLocation(_ location: ReportLocation) -> JSONWriter.Value {
    .object([("artifactLocation", artifactLocation(location.path)), ("region", region(location, bytes: false))])
  }

  func result(_ finding: ReportedFinding, fingerprint: String) -> JSONWriter.Value {
    var text = finding.message
    var related: [JSONWriter.Value] = []
    for note in finding.notes {
      if let location = note.location {
        related.append(
          .object([
            ("id", .int(related.count + 1)), ("physicalLocation", physicalLocation(location)),
            ("message", .object([("text", .string(note.message))])),
          ]))
      } else {
        text += "\nnote: " + note.message
      }
    }
    var members: [(String, JSONWriter.Value)] = [("ruleId", .string(finding.code))]
    if let index = ruleIndex[finding.code] { members.append(("ruleIndex", .int(index))) }
    members += [
      ("level", .string(Self.level(finding.severity))),
      ("message", .object([("text", .string(text))])),
      ("locations", .array([.object([("physicalLocation", physicalLocation(finding.location))])])),
    ]
    if !related.isEmpty { members.append(("relatedLocations", .array(related))) }
    members.append(("partialFingerprints", .object([("dockadvise/v1", .string(fingerprint))])))
    if let fix = finding.fix { members.append(("fixes", .array([self.fix(fix)]))) }
    return .object(members)
  }

  func fix(_ fix: ReportedFinding.Fix) -> JSONWriter.Value {
    var changes: [JSONWriter.Value] = []
    var paths: [String] = []
    var byPath: [String: [ReportedFinding.Edit]] = [:]
    for edit in fix.edits {
      if byPath[edit.location.path] == nil { paths.append(edit.location.path) }
      byPath[edit.location.path, default: []].append(edit)
    }
    for path in paths {
      let replacements = byPath[path]!.map { edit -> JSONWriter.Value in
        .object([("deletedRegion", region(edit.location, bytes: true)), ("insertedContent", .object([("text", .bytes(edit.replacement))]))])
      }
      changes.append(.object([("artifactLocation", artifactLocation(path)), ("replacements", .array(replacements))]))
    }
    for file in fix.createdFiles where !file.embeddedInit {
      let insertion: JSONWriter.Value = .object([
        ("deletedRegion", .object([("startLine", .int(1)), ("startColumn", .int(1)), ("endColumn", .int(1))])),
        ("insertedContent", .object([("text", .bytes(file.contents))])),
      ])
      changes.append(.object([("artifactLocation", artifactLocation(file.path)), ("replacements", .array([insertion]))]))
    }
    var description = fix.safety == .safe ? fix.title : fix.title + " (unsafe: restructures how the services run)"
    if let directory = fix.initDirectory {
      description += "; it also writes the dockadvise-init sources to \(directory), as 'dockadvise emit-init \(directory)' does"
    }
    return .object([("description", .object([("text", .string(description))])), ("artifactChanges", .array(changes))])
  }
}
