/// A check over the image model. Rules are small pure functions: they never read files, never see
/// suppression comments, and report every finding with its location and, where one exists, its fix.
public protocol Rule: Sendable {
  static var description: RuleDescription { get }
  init()
  func check(_ context: LintContext) -> [Finding]
}

extension Rule {
  public var description: RuleDescription { Self.description }

  /// A finding of this rule at `location`.
  public func finding(
    at location: FileRange, _ message: String, notes: [Finding.Note] = [], fix: Fix? = nil, instruction: FileRange? = nil
  ) -> Finding {
    Finding(
      ruleID: Self.description.id, ruleName: Self.description.name, severity: Self.description.severity, message: message,
      location: location, notes: notes, fix: fix, instruction: instruction)
  }
}
