/// DA403: an s6-rc service folder is missing something s6-rc needs.
public struct S6ServiceIncompleteRule: Rule {
  public static let description = RuleDescription(
    id: "DA403", name: "s6-service-incomplete", severity: .error,
    summary: "give the s6-rc service its `type`, its `run` (with a shebang) and a `user/contents.d` entry",
    rationale: """
      s6-rc compiles `/etc/s6-overlay/s6-rc.d` at boot. A folder without `type` fails the compilation \
      and the container does not start; a longrun without `run` has nothing to run; a service that no \
      bundle reaches from `user` (through `user/contents.d/NAME`, another bundle, or a dependency of \
      an enabled service, or started by name from another service's script) is silently never \
      started; a `run` without a shebang fails with `exec format error` and is retried forever. Its \
      mode does not matter: s6-rc-compile copies `run` with mode 0755. The fix creates the missing \
      `type`, the `user/contents.d` entry and the shebang.
      """,
    fixDescription: "add what is missing",
    nonTriggering: [
      // An s6-rc pipeline: `pipeline-name` defines a bundle holding the logger and the service it reads.
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/app/producer-for": "app-log\n",
        "root/etc/s6-overlay/s6-rc.d/app-log/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app-log/run": "#!/bin/sh\nexec logutil-service /var/log/app\n",
        "root/etc/s6-overlay/s6-rc.d/app-log/consumer-for": "app\n", "root/etc/s6-overlay/s6-rc.d/app-log/pipeline-name": "app-pipeline\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app-pipeline": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/command/execlineb -P\napp\n",
        "root/etc/s6-overlay/s6-rc.d/app/dependencies.d/init": "",
        "root/etc/s6-overlay/s6-rc.d/init/type": "oneshot\n", "root/etc/s6-overlay/s6-rc.d/init/up": "/etc/s6-overlay/scripts/init\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/app/finish": "#!/bin/sh\necho \"$1\" > /run/s6-linux-init-container-results/exitcode\n",
        "root/etc/s6-overlay/s6-rc.d/bundle-a/type": "bundle\n", "root/etc/s6-overlay/s6-rc.d/bundle-a/contents.d/app": "",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/bundle-a": "",
      ]),
    ],
    triggering: [
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/run": "↓#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "↓longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "↓exec app\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "↓longrun\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
    ],
    corrections: [
      Correction(
        Example("FROM base-with-s6\nCOPY root/ /\n", files: [
          "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
        ]),
        Example("FROM base-with-s6\nCOPY root/ /\n", files: [
          "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
          "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
        ]))
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard context.usesS6Overlay else { return [] }
    var findings: [Finding] = []
    let layout = context.s6
    for service in layout.services where !S6Facts.overlayOwnNames.contains(service.name) {
      guard let anyFile = service.anyFile else { continue }
      let location: (ImageFile) -> FileRange = { FileRange(file: $0.source, range: .empty(at: S6Facts.startOffset($0))) }
      guard let typeFile = service.typeFile else {
        // A folder with only contents.d entries belongs to a bundle defined elsewhere (the base image).
        if service.run != nil || service.up != nil {
          findings.append(finding(
            at: location(service.run ?? service.up ?? anyFile), "s6-rc service \(service.name) has no type file: s6-rc refuses to compile the service set",
            fix: Self.createFix(service, file: "type", contents: service.run != nil ? "longrun\n" : "oneshot\n", title: "add the type file")))
        }
        continue
      }
      guard let type = service.type else {
        findings.append(finding(at: location(typeFile), "s6-rc service \(service.name) has type '\(service.typeText ?? "")'; expected longrun, oneshot or bundle"))
        continue
      }
      if type == .longrun {
        if let run = service.run {
          // s6-rc-compile copies `run` with mode 0755, so its mode in the source folder does not matter;
          // the interpreter line does.
          if !run.text.hasPrefix("#!") {
            findings.append(finding(
              at: location(run), "the run script of \(service.name) has no shebang: it fails with 'exec format error' and is retried forever",
              fix: Self.shebangFix(run)))
          }
        } else {
          findings.append(finding(at: location(typeFile), "longrun \(service.name) has no run script"))
        }
      }
      // A service that another service starts by name (`s6-rc -u change NAME`, a `service NAME start`
      // shim) is started on demand, not from the user bundle.
      let startedByName = layout.services.contains { other in
        other.name != service.name && [other.run, other.up, other.finish].compactMap { $0?.text }.contains { Self.mentions($0, service.name) }
      }
      if type != .bundle || service.name != "user", !layout.enabled.contains(service.name), !startedByName {
        findings.append(finding(
          at: location(typeFile), "s6-rc service \(service.name) is in no bundle reachable from user: it is never started",
          fix: Self.enableFix(service, layout: layout)))
      }
    }
    return findings
  }

  /// Whether `text` names `word` as a whole word.
  static func mentions(_ text: String, _ word: String) -> Bool {
    guard ByteSearch.contains(text, word) else { return false }
    var rest = Substring(text)
    while let range = rest.firstRange(of: word) {
      let before = range.lowerBound == rest.startIndex ? nil : rest[rest.index(before: range.lowerBound)]
      let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
      let isWordCharacter: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ?? false }
      if !isWordCharacter(before) && !isWordCharacter(after) { return true }
      rest = rest[range.upperBound...]
    }
    return false
  }
}

// MARK: The fix

extension S6ServiceIncompleteRule {
  static func createFix(_ service: S6Layout.Service, file name: String, contents: String, title: String) -> Fix? {
    guard let any = service.run ?? service.up ?? service.anyFile, let path = S6Facts.sibling(any, name) else { return nil }
    return Fix(title: title, safety: .safe, edits: [], createdFiles: [Fix.CreatedFile(path: path, contents: Array(contents.utf8))])
  }

  static func shebangFix(_ run: ImageFile) -> Fix? {
    Fix(title: "add a shebang", safety: .safe, edits: [.insert("#!/bin/sh\n", at: S6Facts.startOffset(run), in: run.source.path)])
  }

  /// `user/contents.d/NAME`, next to the service folder in the context.
  static func enableFix(_ service: S6Layout.Service, layout: S6Layout) -> Fix? {
    guard let type = service.typeFile, let directory = S6Facts.contextDirectory(type), directory.hasSuffix("/" + service.name) else { return nil }
    let rcDirectory = String(directory.dropLast(service.name.count + 1))
    let path = (rcDirectory.isEmpty ? "" : rcDirectory + "/") + "user/contents.d/" + service.name
    return Fix(title: "enable \(service.name) in the user bundle", safety: .safe, edits: [], createdFiles: [Fix.CreatedFile(path: path, contents: [])])
  }
}
