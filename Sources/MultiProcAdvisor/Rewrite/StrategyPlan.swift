import Synchronization

/// The strategy fixes of one lint, planned lazily: the first rule that offers the migration (or the
/// init in front of PID 1) plans it from the immutable `LintContext`, later ones reuse it. Most images
/// lint without ever planning one.
final class StrategyPlan: Sendable {
  let strategy: Strategy
  private let planned = Mutex<(strategyFix: Fix??, refusal: String??, initFix: Fix??)>((nil, nil, nil))

  init(strategy: Strategy) {
    self.strategy = strategy
  }

  /// The fix that moves every service under `strategy` (`ServicePlan` → `StrategyRenderer`).
  func strategyFix(for context: LintContext) -> Fix? {
    if let known = planned.withLock({ $0.strategyFix }) { return known }
    let (fix, refusal) = plan(context)
    planned.withLock {
      $0.strategyFix = .some(fix)
      $0.refusal = .some(refusal)
    }
    return fix
  }

  /// Why there is no strategy fix although the PID 1 shell starts services (file:line: why).
  func strategyRefusal(for context: LintContext) -> String? {
    if let known = planned.withLock({ $0.refusal }) { return known }
    _ = strategyFix(for: context)
    return planned.withLock { $0.refusal } ?? nil
  }

  private func plan(_ context: LintContext) -> (Fix?, String?) {
    var refusal: String?
    guard let plan = ServicePlan.extract(from: context, refusal: &refusal) else { return (nil, refusal) }
    // Only the wrapper runs the services in the shell that ran the setup.
    if strategy != .wrapper, let reason = plan.sharedShellState { return (nil, reason) }
    if let reason = plan.waitOrderProblem(for: strategy) { return (nil, "\(plan.origin): \(reason)") }
    let fix = StrategyRenderer(context: context, plan: plan, strategy: strategy).fix()
    if fix == nil, strategy != .swiftInit, context.image.family == .unknown || context.image.family == .scratch, !context.dockerfile.stages.isEmpty {
      let stage = context.dockerfile.stages[min(context.image.finalStage, context.dockerfile.stages.count - 1)]
      let from = FileRange(file: context.dockerfile.source, range: context.dockerfile.instructions[stage.fromIndex].range)
      let needs = strategy == .wrapper ? "tini and bash" : "xz"
      return (nil, "\(from.file.path):\(from.start): the base image's package manager is not known, so \(needs) cannot be installed for the \(strategy.rawValue) layout")
    }
    return (fix, nil)
  }

  /// The fix that puts tini in front of PID 1 (DA206's own fix).
  func initFix(for context: LintContext) -> Fix? {
    if let known = planned.withLock({ $0.initFix }) { return known }
    let fix = StrategyRenderer.tiniFix(context)
    planned.withLock { $0.initFix = .some(fix) }
    return fix
  }
}
