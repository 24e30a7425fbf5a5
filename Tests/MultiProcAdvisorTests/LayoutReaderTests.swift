import DockerfileParser
import Testing
@testable import MultiProcAdvisor

/// An image file system built from path → content, for reader tests.
func makeImage(_ files: [String: String], executable: Bool = true) -> ImageFileSystem {
  var image = ImageFileSystem()
  for (path, text) in files {
    let source = SourceFile(path: path, text: text)
    image.add(
      ImageFile(
        path: path, origin: .package(name: "test"), content: MappedText(bytes: source.bytes, verbatimFrom: 0), source: source,
        executable: executable))
  }
  return image
}

@Suite struct S6LayoutTests {
  @Test func readsV3ServicesAndWhatTheUserBundleEnables() {
    let d = S6Layout.rcDirectory
    let layout = S6Layout.read(
      makeImage([
        "\(d)/web/type": "longrun\n", "\(d)/web/run": "#!/bin/sh\nexec web\n", "\(d)/web/dependencies.d/init": "",
        "\(d)/init/type": "oneshot", "\(d)/init/up": "/etc/s6-overlay/scripts/init\n",
        "\(d)/orphan/type": "longrun", "\(d)/orphan/run": "#!/bin/sh\nexec orphan\n",
        "\(d)/user/type": "bundle", "\(d)/user/contents.d/web": "",
      ]))
    #expect(layout.services.map(\.name) == ["init", "orphan", "user", "web"])
    #expect(layout.service("web")?.type == .longrun)
    #expect(layout.service("web")?.dependencies == ["init"])
    #expect(layout.service("init")?.up != nil)
    #expect(layout.enabled == ["user", "web", "init"])
    #expect(layout.dependencyCycles.isEmpty)
  }

  @Test func findsDependencyCyclesWithoutLooping() {
    let d = S6Layout.rcDirectory
    let layout = S6Layout.read(
      makeImage([
        "\(d)/a/type": "longrun", "\(d)/a/dependencies.d/b": "", "\(d)/b/type": "longrun", "\(d)/b/dependencies.d/a": "",
        "\(d)/c/type": "longrun", "\(d)/c/dependencies.d/c": "",
      ]))
    #expect(layout.dependencyCycles.count == 2)
    #expect(Set(layout.dependencyCycles.flatMap { $0 }) == ["a", "b", "c"])
  }

  @Test func readsTheLegacyLayout() {
    let layout = S6Layout.read(
      makeImage(["/etc/services.d/app/run": "#!/usr/bin/with-contenv sh\nexec app\n", "/etc/cont-init.d/10-setup": "#!/bin/sh\n"]))
    #expect(layout.legacyServices.map(\.name) == ["app"])
    #expect(layout.contInit.map(\.path) == ["/etc/cont-init.d/10-setup"])
    #expect(!layout.hasV3Services)
  }

  @Test func readsRunitServices() {
    let layout = RunitLayout.read(makeImage(["/etc/service/cron/run": "#!/bin/sh\nexec cron -f\n", "/etc/service/empty/down": ""]))
    #expect(layout.services.map(\.name) == ["cron"])
  }
}

@Suite struct ProcfileTests {
  @Test func parsesEntriesCommentsAndReportsBadLines() {
    let file = SourceFile(path: "Procfile", text: "# services\nweb: nginx -g 'daemon off;'\n\nworker:   php-fpm -F  \nbad line\nx y: z\nempty:\n")
    let procfile = Procfile.parse(file)
    #expect(procfile.entries.map(\.name) == ["web", "worker"])
    #expect(procfile.entries[1].command == "php-fpm -F")
    #expect(file.text(of: procfile.entries[0].commandRange) == "nginx -g 'daemon off;'")
    #expect(procfile.issues.map(\.message) == ["expected 'name: command'", "invalid process name 'x y'", "process 'empty' has no command"])
  }
}
