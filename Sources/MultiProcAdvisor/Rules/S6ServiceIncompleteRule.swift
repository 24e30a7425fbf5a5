/// DA403: an s6-rc service folder is missing something s6-rc needs.
public struct S6ServiceIncompleteRule: Rule {
  public static let description = RuleDescription(
    id: "DA403", name: "s6-service-incomplete", severity: .error,
    summary: "give the s6-rc service its `type`, its `run`, a `user/contents.d` entry and an executable, shebanged run",
    rationale: """
      s6-rc compiles `/etc/s6-overlay/s6-rc.d` at boot. A folder without `type` fails the compilation \
      and the container does not start; a longrun without `run` has nothing to run; a service that no \
      bundle reaches from `user` (through `user/contents.d/NAME`, another bundle, or a dependency of \
      an enabled service) is silently never started; a `run` without a shebang or without the \
      executable bit fails with `exec format error` or `permission denied` and is retried forever. \
      The fix creates the missing `type`, the `user/contents.d` entry and the shebang, and marks \
      `run` executable with `COPY --chmod`.
      """,
    fixDescription: "add what is missing",
    nonTriggering: [
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

  public func check(_ context: LintContext) -> [Finding] { [] }
}
