import DockerfileParser

/// DA404's fix: moves s6-overlay v2 services (`/etc/services.d/NAME/{run,finish}` copied from the build
/// context) to the v3 layout. Each becomes `dockadvise/s6-rc.d/NAME/` with `type` (longrun), its `run`
/// and `finish` (their `#!/usr/bin/with-contenv` and `#!/usr/bin/execlineb` shebangs pointed at
/// `/command/`, where v3 keeps them), `dependencies.d/base` and `user/contents.d/NAME`. The Dockerfile
/// copies the folder in and removes the old service folders, right after the last instruction that
/// brought them. `/etc/cont-init.d` scripts stay: v3 runs them before the services.
///
/// Offered only when the image does not install the v2 tarball (v3 ignores nothing of v2, but v2 knows
/// nothing of `s6-rc.d`), and only for services whose files come from the build context.
enum S6Migration {
  static let contextDirectory = "dockadvise/s6-rc.d"

  static func fix(_ context: LintContext) -> Fix? {
    let services = context.s6.legacyServices
    guard !services.isEmpty, !context.image.has(.s6OverlayLegacy), let reader = context.image.files.reader else { return nil }
    let dockerfile = context.dockerfile
    let finalStage = dockerfile.stages.indices.contains(context.image.finalStage) ? dockerfile.stages[context.image.finalStage] : nil
    var created: [Fix.CreatedFile] = []
    var removed: [String] = []
    var anchor: FileRange? = nil
    for service in services {
      guard let run = service.run, case .context = run.origin, context.s6.service(service.name) == nil,
        !S6Facts.overlayOwnNames.contains(service.name)
      else { return nil }
      let directory = reader.displayPath(contextDirectory + "/" + service.name)
      created.append(Fix.CreatedFile(path: directory + "/type", contents: Array("longrun\n".utf8)))
      created.append(Fix.CreatedFile(path: directory + "/run", contents: v3Shebang(run.content.bytes), executable: true))
      if let finish = service.finish {
        guard case .context = finish.origin else { return nil }
        created.append(Fix.CreatedFile(path: directory + "/finish", contents: v3Shebang(finish.content.bytes), executable: true))
      }
      created.append(Fix.CreatedFile(path: directory + "/dependencies.d/base", contents: []))
      created.append(Fix.CreatedFile(path: reader.displayPath(contextDirectory + "/user/contents.d/" + service.name), contents: []))
      removed.append(S6Layout.legacyServicesDirectory + "/" + service.name)
      for file in [service.run, service.finish].compactMap({ $0 }) {
        guard let instruction = file.introducedBy, instruction.file.path == dockerfile.source.path,
          let index = dockerfile.instructions.firstIndex(where: { $0.range == instruction.range }),
          let stage = finalStage, stage.instructionIndices.contains(index)
        else { return nil }
        if anchor.map({ instruction.range.start > $0.range.start }) ?? true { anchor = instruction }
      }
    }
    guard let anchor else { return nil }
    let lines = [
      "COPY \(contextDirectory)/ \(S6Layout.rcDirectory)/",
      "RUN rm -rf " + removed.map { ShellQuoting.quote($0) }.joined(separator: " "),
    ]
    return Fix(
      title: "move the services to the s6-overlay v3 layout", safety: .unsafe,
      edits: [Edits.insertLine(lines.joined(separator: Edits.newline(of: dockerfile.source)), after: anchor)], createdFiles: created)
  }

  /// The script with a v2 shebang (`/usr/bin/with-contenv`, `/usr/bin/execlineb`) pointed at `/command/`.
  static func v3Shebang(_ bytes: [UInt8]) -> [UInt8] {
    for program in ["with-contenv", "execlineb"] {
      for prefix in ["#!/usr/bin/", "#! /usr/bin/"] where bytes.starts(with: Array((prefix + program).utf8)) {
        return Array("#!/command/\(program)".utf8) + bytes.dropFirst((prefix + program).utf8.count)
      }
    }
    return bytes
  }
}
