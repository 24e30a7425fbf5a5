/// DA103: ENTRYPOINT/CMD look like exec form but are not valid JSON, so they silently run as shell form.
public struct JSONArgsMalformedRule: Rule {
  public static let description = RuleDescription(
    id: "DA103", name: "json-args-malformed", severity: .error,
    summary: "write the exec-form array as valid JSON: double quotes, no trailing comma, escaped backslashes",
    rationale: """
      BuildKit treats `CMD [...]` as exec form only when the text after the keyword is a valid JSON array \
      of strings. Single quotes, a trailing comma or a lone backslash make it invalid, and BuildKit then \
      runs the whole text — brackets, quotes and commas included — through `/bin/sh -c`. The container \
      usually fails with `/bin/sh: [nginx,: not found`; when it does start, the shell is PID 1. Newer \
      BuildKit versions print a JSONArgsRecommended warning for some of these cases; dockadvise makes it \
      an error because the result is never what was meant. The fix rewrites the array as valid JSON when \
      the intended strings are unambiguous.
      """,
    fixDescription: "rewrite as a valid JSON array",
    nonTriggering: [
      Example("FROM alpine\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"),
      Example("FROM alpine\nENTRYPOINT [ \"/init\" ]\n"),
      Example("FROM alpine\nRUN ['not', 'checked', 'here']\nCMD [\"/app\"]\n"),
      Example("FROM alpine\nCMD echo [not json] && exec sleep 1\n"),
    ],
    triggering: [
      Example("FROM alpine\nCMD ↓['nginx', '-g', 'daemon off;']\n"),
      Example("FROM alpine\nENTRYPOINT ↓[\"/docker-entrypoint.sh\",]\n"),
      Example("FROM mcr.microsoft.com/windows/servercore\nENTRYPOINT ↓[\"c:\\app\\run.exe\"]\n"),
      Example("FROM alpine\nCMD ↓[\"/app\", \"--name\", \"x\"\n"),
    ],
    corrections: [
      Correction(
        Example("FROM alpine\nCMD ['nginx', '-g', 'daemon off;']\n"),
        Example("FROM alpine\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")),
      Correction(
        Example("FROM alpine\nENTRYPOINT [\"/docker-entrypoint.sh\",]\n"),
        Example("FROM alpine\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n")),
      Correction(
        Example("FROM mcr.microsoft.com/windows/servercore\nENTRYPOINT [\"c:\\app\\run.exe\"]\n"),
        Example("FROM mcr.microsoft.com/windows/servercore\nENTRYPOINT [\"c:\\\\app\\\\run.exe\"]\n")),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    [context.image.entrypoint, context.image.cmd].compactMap { setting -> Finding? in
      guard let setting, setting.looksLikeJSON, case .shell(let text) = setting.form else { return nil }
      let what = context.dockerfile.source.text(of: setting.keyword.range).uppercased()
      let repaired = LenientJSONArray.parse(text.bytes)
      let fix = repaired.map { argv in
        Fix(title: "write valid JSON", safety: .safe, changes: [.replaceArguments(setting.arguments, with: argv)])
      }
      return finding(
        at: setting.arguments, "\(what) looks like exec form but is not valid JSON, so it runs as a shell command: \(LenientJSONArray.problem(text.bytes))",
        fix: fix)
    }
  }
}
