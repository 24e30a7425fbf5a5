/// The image model, the rule engine and its rules, the rewriter, and the embedded init sources.
public enum MultiProcAdvisor {}
