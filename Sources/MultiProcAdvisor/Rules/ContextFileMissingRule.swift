/// DA003: the PID 1 command runs a file that should come from the build context but is not there.
public struct ContextFileMissingRule: Rule {
  public static let description = RuleDescription(
    id: "DA003", name: "context-file-missing", severity: .info,
    summary: "make sure the file PID 1 runs is in the build context (and not excluded by .dockerignore)",
    rationale: """
      The ENTRYPOINT/CMD runs a file that a COPY or ADD brings in from the build context, but that \
      source is not in the context — missing, excluded by `.dockerignore`, or behind a symlink that \
      leads outside the context. `docker build` fails on it, or, with a glob source, silently copies \
      nothing and the container fails at start with `exec: no such file`. dockadvise cannot analyse \
      what it cannot read, so the rest of the chain is unknown. Files that no instruction of this \
      Dockerfile copies may come from the base image and are not reported.
      """,
    nonTriggering: [
      Example("FROM alpine\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n", files: ["start.sh": "#!/bin/sh\nexec sleep 1\n"]),
      Example("FROM nginx\nCMD [\"/docker-entrypoint.sh\", \"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM alpine\nCOPY docker/ /usr/local/bin/\nCMD [\"run.sh\"]\n", files: ["docker/run.sh": "#!/bin/sh\nexec sleep 1\n"]),
    ],
    triggering: [
      Example("FROM alpine\nCOPY ↓start.sh /start.sh\nCMD [\"/start.sh\"]\n"),
      Example("FROM alpine\nCOPY ↓docker/entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"entrypoint.sh\"]\nCMD [\"app\"]\n", files: ["docker/other.sh": "#!/bin/sh\n"]),
      Example("FROM alpine\nCOPY ↓run.sh /run.sh\nCMD /run.sh\n", files: ["run.sh": "#!/bin/sh\nexec sleep 1\n", ".dockerignore": "*.sh\n"]),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.launch.missingContextFiles.map { missing in
      finding(
        at: missing.sourceWord,
        "\(missing.imagePath) is run as PID 1 but \(missing.contextPath) is \(missing.reason) in the build context",
        notes: missing.notes)
    }
  }
}
