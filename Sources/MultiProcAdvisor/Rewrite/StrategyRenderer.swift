/// The services an image runs, found from its PID 1 shell, supervisord or s6 layout.
struct ServicePlan {
  static func extract(from context: LintContext) -> ServicePlan? { nil }
}

/// Renders a `ServicePlan` as one of the strategies.
struct StrategyRenderer {
  let context: LintContext
  let plan: ServicePlan
  let strategy: Strategy

  func fix() -> Fix? { nil }

  static func tiniFix(_ context: LintContext) -> Fix? { nil }
}
