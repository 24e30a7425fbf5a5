import Synchronization

/// The strategy fixes of one lint, planned lazily: the first rule that offers the migration (or the
/// init in front of PID 1) plans it from the immutable `LintContext`, later ones reuse it. Most images
/// lint without ever planning one.
final class StrategyPlan: Sendable {
  let strategy: Strategy
  private let planned = Mutex<(strategyFix: Fix??, initFix: Fix??)>((nil, nil))

  init(strategy: Strategy) {
    self.strategy = strategy
  }

  /// The fix that moves every service under `strategy` (`ServicePlan` → `StrategyRenderer`).
  func strategyFix(for context: LintContext) -> Fix? {
    if let known = planned.withLock({ $0.strategyFix }) { return known }
    let fix = ServicePlan.extract(from: context).flatMap { StrategyRenderer(context: context, plan: $0, strategy: strategy).fix() }
    planned.withLock { $0.strategyFix = .some(fix) }
    return fix
  }

  /// The fix that puts tini in front of PID 1 (DA206's own fix).
  func initFix(for context: LintContext) -> Fix? {
    if let known = planned.withLock({ $0.initFix }) { return known }
    let fix = StrategyRenderer.tiniFix(context)
    planned.withLock { $0.initFix = .some(fix) }
    return fix
  }
}
