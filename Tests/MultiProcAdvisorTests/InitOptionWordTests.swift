import Testing

@testable import MultiProcAdvisor

/// The swift-init strategy writes a service's directory, user and environment as `# dockadvise-init:`
/// options; a word with spaces is quoted the way the init reads it (no escapes).
@Suite struct InitOptionWordTests {
  @Test func wordsAreQuotedOnlyAsTheInitCanRead() {
    #expect(StrategyRenderer.initOptionWord("user=www-data") == "user=www-data")
    #expect(StrategyRenderer.initOptionWord("env=MODE=production, eu") == "'env=MODE=production, eu'")
    #expect(StrategyRenderer.initOptionWord("env=A=it's") == "\"env=A=it's\"")
    #expect(StrategyRenderer.initOptionWord("env=A=it's \"x\"") == nil)
    #expect(StrategyRenderer.initOptionWord("env=A=a\nb") == nil)
    #expect(StrategyRenderer.initOptionWord("workdir=/srv/my app") == "'workdir=/srv/my app'")
  }
}
