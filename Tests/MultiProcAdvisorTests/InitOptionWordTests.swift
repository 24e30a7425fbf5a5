import DockerfileParser
import Testing

@testable import MultiProcAdvisor

/// The swift-init strategy writes a service's directory, user and environment as `# dockadvise-init:`
/// options; a word with spaces is quoted the way the init reads it (no escapes).
@Suite struct InitOptionWordTests {
  @Test func wordsAreQuotedOnlyAsTheInitCanRead() {
    #expect(StrategyRenderer.initOptionWord("user=www-data") == "user=www-data")
    #expect(StrategyRenderer.initOptionWord("env=MODE=production, eu") == "'env=MODE=production, eu'")
    #expect(StrategyRenderer.initOptionWord("env=A=it's") == "\"env=A=it's\"")
    #expect(StrategyRenderer.initOptionWord("env=A=it's \"x\"") == nil)
    #expect(StrategyRenderer.initOptionWord("env=A=a\nb") == nil)
    #expect(StrategyRenderer.initOptionWord("workdir=/srv/my app") == "'workdir=/srv/my app'")
  }

  private func waitTest(_ code: String) -> String? {
    let script = ShellScript.parse(code)
    return ServicePlan.waitTest(script.body.items[0].pipelines[0].commands[0]) { ServicePlan.logicalText($0, in: script.source) }
  }

  /// A wait loop of the original script becomes `after=` + `ready=`; only loops that do nothing but wait.
  @Test func waitLoopsAndTheirProbes() {
    #expect(waitTest("until mysqladmin ping; do sleep 1; done") == "mysqladmin ping")
    #expect(waitTest("while ! nc -z db 5432; do echo waiting; sleep 1; done") == "nc -z db 5432")
    #expect(waitTest("until pg_isready -h 127.0.0.1 >/dev/null 2>&1; do sleep 0.5; done") == "pg_isready -h 127.0.0.1 >/dev/null 2>&1")
    #expect(waitTest("while pgrep mysqld; do sleep 1; done") == nil, "waits for something to stop")
    #expect(waitTest("until [ -f \"$READY\" ]; do sleep 1; done") == nil, "reads a variable")
    #expect(waitTest("until curl -fs localhost; do rm -f x; sleep 1; done") == nil, "does more than wait")
    #expect(StrategyRenderer.readyProbe("nc -z 127.0.0.1 5432") == "tcp:5432")
    #expect(StrategyRenderer.readyProbe("nc -z localhost 80") == "tcp:80")
    #expect(StrategyRenderer.readyProbe("nc -z db 5432") == "exec:nc -z db 5432")
  }

  /// `gosu`, `su-exec` and `su USER -c` become `user=`; anything splitting could change stays as it is.
  @Test func identityWrappers() {
    #expect(StrategyRenderer.identityWrapper("gosu redis redis-server --port 6379")! == ("redis", "redis-server --port 6379", true))
    #expect(StrategyRenderer.identityWrapper("su-exec app:app node 'server.js'")! == ("app:app", "node server.js", true))
    #expect(StrategyRenderer.identityWrapper("su www-data -c 'php-fpm -F'")! == ("www-data", "php-fpm -F", false))
    #expect(StrategyRenderer.identityWrapper("gosu app \"$@\"") == nil)
    #expect(StrategyRenderer.identityWrapper("gosu root nginx") == nil)
    #expect(StrategyRenderer.identityWrapper("su - app -c 'x'") == nil)
    #expect(StrategyRenderer.identityWrapper("su app -c 'a; b'") == nil)
    #expect(StrategyRenderer.identityWrapper("nginx -g 'daemon off;'") == nil)
  }

  /// `wait-for-it.sh HOST:PORT -- CMD` and `dockerize -wait tcp://HOST:PORT CMD`: the wait, its local test, the command.
  @Test func waitWrappers() {
    let wait = ServicePlan.waitWrapper(["exec", "/wait-for-it.sh", "localhost:5432", "-t", "60", "--", "python3", "app.py"], count: 8)
    #expect(wait?.step == "/wait-for-it.sh localhost:5432 -t 60")
    #expect(wait?.test == "nc -z localhost 5432")
    #expect(wait?.name == "python3")
    #expect(wait?.command == "python3 app.py")
    let remote = ServicePlan.waitWrapper(["wait-for-it", "db:5432", "--", "app"], count: 4)
    #expect(remote?.test == nil, "another container: no service of this image to wait for")
    #expect(remote?.command == "app")
    let dockerize = ServicePlan.waitWrapper(
      ["dockerize", "-wait", "tcp://127.0.0.1:6379", "-wait", "tcp://localhost:5432", "-timeout", "30s", "node", "server.js"], count: 9)
    #expect(dockerize?.test == "nc -z localhost 6379 && nc -z localhost 5432")
    #expect(dockerize?.command == "node server.js")
    #expect(ServicePlan.waitWrapper(["dockerize", "-template", "a:b", "app"], count: 4) == nil)
    #expect(ServicePlan.waitWrapper(["wait-for-it.sh", "db:5432"], count: 2) == nil, "no command")
    #expect(ServicePlan.waitWrapper(["wait-for-it.sh", "db:5432", "--", "app"], count: 5) == nil, "a word with an expansion")
  }
}
