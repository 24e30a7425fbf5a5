/// Everything a rule says about itself: identity, severity, the text `explain` prints, and the examples
/// that document it and that the tests run.
public struct RuleDescription: Sendable {
  /// Stable code such as `DA101`; never changes meaning once shipped.
  public var id: String
  /// Kebab-case name such as `shell-form-pid1`; users may refer to a rule by either.
  public var name: String
  public var severity: Severity
  /// One line: what to do about it.
  public var summary: String
  /// Why it matters, the facts behind it, and the decisions taken where the catalogue was silent.
  public var rationale: String
  /// What `fix` does, in a sentence (`nil` when the rule has no fix).
  public var fixDescription: String?
  public var nonTriggering: [Example]
  public var triggering: [Example]
  public var corrections: [Correction]

  public init(
    id: String, name: String, severity: Severity, summary: String, rationale: String,
    fixDescription: String? = nil, nonTriggering: [Example], triggering: [Example], corrections: [Correction] = []
  ) {
    self.id = id
    self.name = name
    self.severity = severity
    self.summary = summary
    self.rationale = rationale
    self.fixDescription = fixDescription
    self.nonTriggering = nonTriggering
    self.triggering = triggering
    self.corrections = corrections
  }

  public var hasFix: Bool { fixDescription != nil }

  /// Where the rule's documentation lives in the repository.
  public var documentationPath: String { "docs/rules/\(id).md" }

  /// The public URL of the rule's documentation.
  public var helpURI: String { "https://github.com/dockadvise/dockadvise/blob/main/\(documentationPath)" }
}
