import DockerfileParser
import Testing
@testable import MultiProcAdvisor

/// The program table: one record per program, and the lists derived from it.
@Suite struct ProgramTableTests {
  @Test func everyNameHasOneRecord() {
    var seen: [String: Int] = [:]
    for record in ProgramTable.records { for name in record.names { seen[name, default: 0] += 1 } }
    #expect(seen.filter { $0.value > 1 }.isEmpty, "names in more than one record: \(seen.filter { $0.value > 1 }.keys.sorted())")
  }

  @Test(arguments: ["sh", "bash", "dash", "ash", "zsh", "mksh", "ksh", "yash"])
  func everyParsedShellIsFollowed(name: String) {
    #expect(Knowledge.shellInterpreter(name) != nil, "\(name) is parsed in a shebang, so `\(name) -c` is followed too")
  }

  @Test func whatAFileIs() {
    #expect(ProgramTable.record(for: "/usr/bin/supervisord")?.file == .script("python"))
    #expect(ProgramTable.record(for: "/usr/bin/supervisord")?.isUnreadableByShell == true)
    #expect(ProgramTable.record(for: "mysqld_safe")?.kind == .restartingWrapper)
    #expect(ProgramTable.record(for: "mysqld_safe")?.isUnreadableByShell == false)
    #expect(ProgramTable.record(for: "nginx")?.isUnreadableByShell == true)
    #expect(ProgramTable.record(for: "php-fpm8.2")?.stopSignal == "SIGQUIT")
  }

  /// Restarting wrappers and control scripts become the server they run (issue 13).
  @Test func wrappersBecomeTheirServer() {
    let forever = ProgramTable.record(for: "forever")?.wrappedServer
    #expect(forever?(["app.js", "--port", "80"], .debian) == ["node", "app.js", "--port", "80"])
    #expect(forever?(["-m", "5", "-c", "python3 -u", "worker.py"], .debian) == ["python3", "-u", "worker.py"])
    #expect(forever?(["--unknown-option", "app.js"], .debian) == nil, "an option dockadvise does not know leaves it alone")
    #expect(forever?(["start", "app.js"], .debian) == nil, "forever start is a daemon (its verdict), not a foreground wrapper")
    #expect(DaemonCatalog.verdict(program: "forever", arguments: ["start", "-l", "/log", "app.js"])?.foreground == ["node", "app.js"])
    let apachectl = ProgramTable.record(for: "apachectl")?.wrappedServer
    #expect(apachectl?(["-DFOREGROUND"], .alpine) == ["httpd", "-DFOREGROUND"])
    #expect(apachectl?(["-D", "FOREGROUND"], .redHat) == ["httpd", "-DFOREGROUND"])
    #expect(apachectl?(["-D", "FOREGROUND"], .debian) == nil, "Debian's apache2ctl is expanded inline by the managed form")
    var facts = DaemonCatalog.ImageFacts()
    facts.family = .alpine
    #expect(DaemonCatalog.verdict(program: "apachectl", arguments: ["-k", "start"], facts: facts)?.foreground == ["httpd", "-DFOREGROUND"])
    facts.family = .debian
    #expect(DaemonCatalog.verdict(program: "apachectl", arguments: ["start"], facts: facts)?.foreground == ["apache2ctl", "-D", "FOREGROUND"])
    #expect(DaemonCatalog.verdict(program: "pm2", arguments: ["start", "app.js"])?.foreground == ["pm2-runtime", "app.js"])
    #expect(ServicePlan.managedForm(["forever", "app.js"], family: .debian).command == "node app.js")
    #expect(ServicePlan.managedForm(["apachectl", "-DFOREGROUND"], family: .alpine).command == "httpd -DFOREGROUND")
  }

  @Test func packagesInstallPrograms() {
    let anywhere = FileRange(file: .init(path: "Dockerfile", text: ""), range: .empty(at: 0))
    let debian = [ImageModel.InstalledPackage(name: "supervisor", manager: .apt, evidence: anywhere)]
    #expect(ProgramTable.installed(at: "/usr/bin/supervisord", packages: debian)?.0.names == ["supervisord"])
    #expect(ProgramTable.installed(at: "/usr/local/bin/supervisord", packages: debian) == nil)
    #expect(ProgramTable.installed(at: "/usr/bin/supervisord", packages: []) == nil)
  }

  @Test func initsAndManagersComeFromTheTable() {
    #expect(Knowledge.initKind(of: "/usr/bin/dumb-init") == .dumbInit)
    #expect(Knowledge.initKind(of: "/sbin/tini-static") == .tini)
    #expect(Knowledge.initKind(of: "/usr/bin/app") == nil)
    #expect(Knowledge.processManagers.isSuperset(of: ["runsvdir", "s6-svscan", "my_init", "pm2-runtime", "systemd", "init"]))
  }
}
