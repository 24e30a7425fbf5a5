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
