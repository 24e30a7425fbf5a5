/// DA001: the Dockerfile cannot be parsed the way BuildKit parses it.
public struct DockerfileSyntaxRule: Rule {
  public static let description = RuleDescription(
    id: "DA001", name: "dockerfile-syntax", severity: .error,
    summary: "fix the Dockerfile so that BuildKit can parse it",
    rationale: """
      dockadvise reads a Dockerfile exactly as BuildKit does. When BuildKit would reject the file \
      (an unknown instruction, an unterminated heredoc, a bad parser directive, an ENV without a value, \
      a JSON array with non-string elements), `docker build` fails before anything runs, and every \
      other finding about the file would rest on guesses. The finding names the line and column and \
      what was expected there; the rest of the analysis still runs on what could be parsed.
      """,
    nonTriggering: [
      Example("FROM alpine\nCMD [\"sleep\", \"1\"]\n"),
      Example("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  c:\\\n"),
      Example("FROM alpine\nRUN <<EOF\necho hi\nEOF\n"),
      Example("from alpine\nenv A=1 B=2\ncmd echo $A\n"),
    ],
    triggering: [
      Example("FROM alpine\n↓FORM alpine\n"),
      Example("FROM alpine\nENV ↓ONLYKEY\n"),
      Example("# escape=↓x\nFROM alpine\n"),
      Example("FROM alpine\nCMD [\"a\", ↓1]\n"),
    ])

  public init() {}

  public func check(_ context: LintContext) -> [Finding] {
    context.dockerfileIssues.map { issue in
      finding(at: FileRange(file: context.dockerfile.source, range: issue.range), issue.message)
    }
  }
}
