import DockerfileParser
import Testing
@testable import MultiProcAdvisor

@Suite struct SupervisordConfigTests {
  private func read(_ files: [String: String], main: String = "/etc/supervisord.conf", environment: [String: String] = [:]) -> SupervisordConfig {
    let sources = files.mapValues { $0 }
    return SupervisordConfig.read(
      main: SourceFile(path: main, text: sources[main]!), mainPath: main, environment: environment,
      file: { path in sources[path].map { SourceFile(path: path, text: $0) } },
      list: { pattern in sources.keys.filter { pattern.matches($0) } })
  }

  @Test func readsSectionsKeysAndInlineComments() {
    let config = read([
      "/etc/supervisord.conf": """
        [supervisord]
        nodaemon = true ; stay in front
        Logfile=/dev/null

        [program:nginx]
        command=nginx -g 'daemon off;'
        autorestart: false
        """
    ])
    #expect(config.nodaemon)
    #expect(config.supervisord?.value("logfile") == "/dev/null")
    #expect(config.programs.map(\.name) == ["program:nginx"])
    #expect(config.programs[0].value("command") == "nginx -g 'daemon off;'")
    #expect(config.programs[0].value("autorestart") == "false")
    let entry = config.programs[0].entry("command")!
    #expect(entry.valueLocation.file.text(of: entry.valueLocation.range) == "nginx -g 'daemon off;'")
    #expect(entry.keyLocation.start.line == 6)
  }

  @Test func multiLineValuesJoinContinuationLines() {
    let config = read([
      "/etc/supervisord.conf": "[program:app]\ncommand=\n    /usr/bin/app\n    --flag x\nuser=app\n"
    ])
    let entry = config.programs[0].entry("command")!
    #expect(entry.value == "\n/usr/bin/app\n--flag x")
    #expect(entry.valueLocation.file.text(of: entry.valueLocation.range) == "/usr/bin/app\n    --flag x")
    #expect(config.programs[0].value("user") == "app")
  }

  @Test func joinedValueReadsContinuationsAsOneLineMappedToTheFile() {
    let text = "[program:dns]\ncommand = dnsmasq --cache-size=25000\n    ; a comment between continuations\n    --keep-in-foreground ; inline\n\n    --no-resolv\nuser=root\n"
    let config = read(["/etc/supervisord.conf": text])
    let entry = config.programs[0].entry("command")!
    let joined = entry.joinedValue
    #expect(String(decoding: joined.bytes, as: UTF8.self) == "dnsmasq --cache-size=25000 --keep-in-foreground --no-resolv")
    // Every piece maps back to its bytes in the file; the joining spaces stand for the line breaks.
    let flag = Array("--keep-in-foreground".utf8)
    let logical = joined.bytes.firstRange(of: flag)!
    let original = joined.originalRange(logical.lowerBound, logical.upperBound)
    #expect(entry.valueLocation.file.text(of: original) == "--keep-in-foreground")
    #expect(entry.valueLocation.file.location(of: original.start).line == 4)
  }

  @Test func includesAreRelativeToTheMainFileAndMergeSections() {
    let config = read([
      "/etc/supervisor/supervisord.conf": "[supervisord]\nlogfile=/var/log/s.log\n[include]\nfiles = conf.d/*.conf\n",
      "/etc/supervisor/conf.d/b.conf": "[program:b]\ncommand=b\n",
      "/etc/supervisor/conf.d/a.conf": "[supervisord]\nnodaemon=true\n[program:a]\ncommand=a\n",
    ], main: "/etc/supervisor/supervisord.conf")
    #expect(config.nodaemon)
    #expect(config.supervisord?.value("logfile") == "/var/log/s.log")
    #expect(config.programs.map(\.name) == ["program:a", "program:b"])
    #expect(config.files.map(\.path) == ["/etc/supervisor/supervisord.conf", "/etc/supervisor/conf.d/a.conf", "/etc/supervisor/conf.d/b.conf"])
  }

  @Test func anIncludeOfItselfIsReportedNotLooped() {
    let config = read(["/etc/supervisord.conf": "[include]\nfiles=/etc/*.conf\n[program:x]\ncommand=x\n"])
    #expect(config.files.count == 1)
    #expect(config.issues.count == 1)
    #expect(config.programs.count == 1)
  }

  @Test func expandsEnvironmentAndProgramName() {
    let config = read(
      ["/etc/supervisord.conf": "[program:web]\ncommand=/app/%(program_name)s --port %(ENV_PORT)s %(ENV_MISSING)s 100%%\n"],
      environment: ["PORT": "8080"])
    #expect(config.programs[0].value("command") == "/app/web --port 8080 %(ENV_MISSING)s 100%")
  }

  @Test func booleans() {
    #expect(SupervisordConfig.boolean("Yes") == true)
    #expect(SupervisordConfig.boolean(" off ") == false)
    #expect(SupervisordConfig.boolean("maybe") == nil)
  }
}
