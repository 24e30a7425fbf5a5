import Testing
@testable import MultiProcAdvisor

/// Which s6 services count as helpers of the main one (DA402 excuses them when the main one stops the container).
@Suite struct HelperServiceTests {
  @Test(arguments: ["svc-cron", "lighttpd-access-log", "50-autoscaler-sidecar", "svc-nginx-auto-reload", "healthcheck", "logrotate"])
  func helperNames(name: String) {
    #expect(HelperService.isHelper(name: name, programs: []))
  }

  @Test(arguments: ["cloudflared", "jvb", "svc-nginx", "pihole-FTL", "catalog", "blog", "prosody", "20-saslauthd"])
  func mainServiceNames(name: String) {
    #expect(!HelperService.isHelper(name: name, programs: []))
  }

  @Test func finalProgramsDecideForOtherNames() {
    #expect(HelperService.isHelper(name: "periodic", programs: ["crond"]))
    #expect(HelperService.isHelper(name: "relay", programs: ["tail"]))
    #expect(!HelperService.isHelper(name: "web", programs: ["nginx"]))
    #expect(!HelperService.isHelper(name: "mixed", programs: ["crond", "nginx"]))
  }
}
