import Testing
@testable import MultiProcAdvisor
