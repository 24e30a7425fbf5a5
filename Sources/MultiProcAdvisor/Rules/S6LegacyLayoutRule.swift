/// DA404: s6-overlay v2 layout or tarball.
public struct S6LegacyLayoutRule: Rule {
  public static let description = RuleDescription(
    id: "DA404", name: "s6-legacy-layout", severity: .info,
    summary: "move `/etc/services.d` and `/etc/cont-init.d` to the s6-overlay v3 `s6-rc.d` layout",
    rationale: """
      s6-overlay v3 still runs the v2 folders (`/etc/services.d/NAME/run`, `/etc/cont-init.d/*`) for \
      compatibility, but they get none of v3's features: no dependencies between services, no \
      readiness, no `S6_BEHAVIOUR_IF_STAGE2_FAILS` for them, and the v2 tarballs \
      (`s6-overlay-amd64.tar.gz`, the `-installer`) are no longer maintained. In v3 each service is a \
      folder `/etc/s6-overlay/s6-rc.d/NAME/` with `type`, `run` (and `finish`), enabled by an empty \
      `user/contents.d/NAME`; cont-init scripts become oneshots. Information only: the old layout \
      works. The tarball is also found when a build script that a RUN executes downloads it, with the \
      stage's ENV in its URL. The fix (`--unsafe`) writes the v3 folders next to the old ones and copies them in.
      """,
    fixDescription: "migrate to the v3 layout (`--unsafe`)",
    nonTriggering: [
      Example("FROM base-with-s6\nCOPY root/ /\n", files: [
        "root/etc/s6-overlay/s6-rc.d/app/type": "longrun\n", "root/etc/s6-overlay/s6-rc.d/app/run": "#!/bin/sh\nexec app\n",
        "root/etc/s6-overlay/s6-rc.d/user/contents.d/app": "",
      ]),
      Example("FROM alpine\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-x86_64.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-x86_64.tar.xz\nENTRYPOINT [\"/init\"]\n"),
      Example("FROM alpine\nCOPY services.d/ /srv/services.d/\nCMD [\"s6-svscan\", \"/srv/services.d\"]\n", files: ["services.d/app/run": "#!/bin/sh\nexec app\n"]),
      Example(
        "FROM alpine\nENV S6_OVERLAY_VERSION=3.2.0.2\nCOPY build.sh /tmp/build.sh\nRUN sh /tmp/build.sh\nENTRYPOINT [\"/init\"]\n",
        files: ["build.sh": "#!/bin/sh\nset -e\napk add --no-cache xz\nfor f in noarch x86_64; do\n  curl -fsSL https://github.com/just-containers/s6-overlay/releases/download/v${S6_OVERLAY_VERSION}/s6-overlay-$f.tar.xz | tar -C / -Jxp\ndone\n"]),
    ],
    triggering: [
      Example("FROM base-with-s6\n↓COPY services.d/ /etc/services.d/\n", files: ["services.d/app/run": "#!/usr/bin/with-contenv sh\nexec app\n"]),
      Example("FROM alpine\n↓ADD https://github.com/just-containers/s6-overlay/releases/download/v2.2.0.3/s6-overlay-amd64.tar.gz /tmp/\nRUN tar xzf /tmp/s6-overlay-amd64.tar.gz -C /\nENTRYPOINT [\"/init\"]\n"),
      Example("FROM base-with-s6\n↓COPY root/ /\n", files: ["root/etc/cont-init.d/10-config": "#!/usr/bin/with-contenv sh\necho config\n"]),
      Example(
        "FROM alpine:3.8\nENV S6_OVERLAY_VERSION \"1.21.7.0\"\nCOPY fsroot /\n↓RUN /bin/sh /tmp/build.sh && rm -rf /tmp/*\nENTRYPOINT [\"/init\"]\n",
        files: ["fsroot/tmp/build.sh": "#!/bin/sh\nset -xueo pipefail\nBUILD_DEPS=\"curl\"\napk add --update --no-cache ${BUILD_DEPS}\ncurl -L https://github.com/just-containers/s6-overlay/releases/download/v${S6_OVERLAY_VERSION}/s6-overlay-nobin.tar.gz | tar zx -C /\napk del ${BUILD_DEPS}\n"]),
    ],
    corrections: [
      Correction(
        Example(
          "FROM base-with-s6\nCOPY services.d/ /etc/services.d/\nCOPY app /usr/local/bin/app\n",
          files: ["services.d/app/run": "#!/usr/bin/with-contenv sh\nexec app\n", "services.d/app/finish": "#!/bin/sh\necho done\n"]),
        Example(
          "FROM base-with-s6\nCOPY services.d/ /etc/services.d/\nCOPY dockadvise/s6-rc.d/ /etc/s6-overlay/s6-rc.d/\nRUN rm -rf /etc/services.d/app\nCOPY app /usr/local/bin/app\n",
          files: [
            "dockadvise/s6-rc.d/app/type": "longrun\n", "dockadvise/s6-rc.d/app/run": "#!/command/with-contenv sh\nexec app\n",
            "dockadvise/s6-rc.d/app/finish": "#!/bin/sh\necho done\n", "dockadvise/s6-rc.d/app/dependencies.d/base": "",
            "dockadvise/s6-rc.d/user/contents.d/app": "",
          ]),
        options: ["--unsafe"])
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    guard context.usesS6Overlay else { return [] }
    var findings: [Finding] = []
    var seen = Set<FileRange>()
    // A run script a cont-init.d script writes at start is not put there by an instruction.
    let legacyFiles = context.s6.legacyServices.compactMap { $0.run }.filter { if case .startupScript = $0.origin { false } else { true } } + context.s6.contInit
    for file in legacyFiles {
      guard let instruction = file.introducedBy, seen.insert(instruction).inserted else { continue }
      let what = file.path.hasPrefix(S6Layout.legacyServicesDirectory) ? "/etc/services.d" : "/etc/cont-init.d"
      let isService = file.path.hasPrefix(S6Layout.legacyServicesDirectory)
      findings.append(finding(
        at: instruction, "this puts files in \(what), the legacy s6-overlay v2 layout; v3 uses /etc/s6-overlay/s6-rc.d", notes: [file.provenanceNote],
        fix: isService ? S6Migration.fix(context) : nil))
    }
    for component in context.image.components.filter({ $0.kind == .s6OverlayLegacy }).prefix(1) where seen.insert(component.evidence).inserted {
      findings.append(finding(at: component.evidence, "this installs s6-overlay v2, which is no longer maintained; v3 ships as s6-overlay-noarch.tar.xz + s6-overlay-ARCH.tar.xz"))
    }
    return findings
  }
}
