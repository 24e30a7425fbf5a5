import DockerfileParser

/// Files s6-overlay's startup scripts (`/etc/cont-init.d/*`) write when the container starts, in the
/// folders whose services s6 supervises (or, for an entrypoint that execs supervisord, in supervisord's
/// configuration folders): `cat > /etc/services.d/x/run <<EOF`, `echo … >>
/// /var/run/s6/services/x/run`, `/run/service/x/run`. They are laid over the image's files so the
/// service layout (and every rule about services) sees the services a startup script creates.
enum StartupWrites {
  static let serviceDirectories = [S6Layout.legacyServicesDirectory] + S6Layout.runtimeScanDirectories

  /// The image's files with what the startup scripts write into service folders; nil when they write
  /// nothing there.
  static func files(_ image: ImageModel, startupScripts: [ImageFile], directories: [String] = serviceDirectories) -> ImageFileSystem? {
    var files = image.files
    var wrote = false
    for script in startupScripts {
      let dialect: ShellDialect = script.text.hasPrefix("#!/bin/bash") || script.text.contains("env bash") ? .bash : .posix
      let parsed = ShellScript.parse(script.content, dialect: dialect)
      let shell = ShellShebang.parse(script.content.bytes, text: script.content)?.interpreter
      let writer = WrittenText(source: script.source, echoStyle: .of(shell: shell, family: image.family))
      for invocation in parsed.invocations where !invocation.isInCommandSubstitution {
        for redirection in invocation.redirections where [.output, .append, .clobber].contains(redirection.op) {
          guard redirection.effectiveFileDescriptor == 1, let target = redirection.target?.literalValue, target.hasPrefix("/") else { continue }
          let path = ImageFileSystem.normalize(target)
          guard directories.contains(where: { ImageFileSystem.isSameOrUnder(path, $0) && path != $0 }),
            let content = writer.output(of: invocation)
          else { continue }
          var text = content
          // `>>` after a `>` of the same script continues that file.
          if redirection.op == .append, let existing = files.file(at: path), existing.source.path == script.source.path {
            var combined = existing.content
            combined.append(from: content, 0..<content.count)
            text = combined
          }
          files.add(ImageFile(path: path, origin: .startupScript(script: script.path, original: script.origin), content: text, source: script.source, executable: true))
          wrote = true
        }
      }
    }
    return wrote ? files : nil
  }
}
