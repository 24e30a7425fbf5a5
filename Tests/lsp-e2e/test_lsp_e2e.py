"""dockadvise lsp driven by a real LSP client (pytest-lsp): open -> diagnostics -> code action -> apply ->
diagnostics gone, for a Dockerfile and for the entrypoint script its ENTRYPOINT runs; fix-all through
codeAction/resolve.

Run by LSPEndToEndTests (swift test) with DOCKADVISE_BIN set to the built binary; by hand:
    DOCKADVISE_BIN=.build/debug/dockadvise python3 -m pytest -o asyncio_mode=auto -p no:cacheprovider -p no:benchmark Tests/lsp-e2e
"""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

BINARY = os.environ.get("DOCKADVISE_BIN", ".build/debug/dockadvise")
DOCKERFILE = 'FROM debian:12\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n'
SCRIPT = '#!/bin/sh\nset -e\necho starting\nnginx -g "daemon off;"\n'
SHELL_FORM = "FROM debian:bookworm-slim\nCMD echo starting && nginx -g 'daemon off;'\n"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace")
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / "entrypoint.sh").write_text(SCRIPT)
    lsp_client.workspace_root = root
    capabilities = client_capabilities("visual-studio-code")
    # pytest-lsp's client advertises dynamic registration of file watchers but cannot answer
    # client/registerCapability; without it the server does not ask.
    capabilities.workspace.did_change_watched_files = None
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities, root_uri=root.as_uri()))
    yield
    await lsp_client.shutdown_session()


def offset(text: str, position: types.Position) -> int:
    lines = text.split("\n")
    index = sum(len(line) + 1 for line in lines[: position.line])
    # UTF-16 columns: the texts here are ASCII.
    return index + position.character


def apply(text: str, edits) -> str:
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(text, edit.range.start)] + edit.new_text + text[offset(text, edit.range.end) :]
    return text


async def diagnostics_for(client: LanguageClient, uri: str, predicate, timeout: float = 20.0):
    async def wait():
        while not predicate(client.diagnostics.get(uri)):
            await client.wait_for_notification("textDocument/publishDiagnostics")
        return client.diagnostics.get(uri)

    return await asyncio.wait_for(wait(), timeout)


def open_document(client: LanguageClient, uri: str, text: str, language: str):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )


def change_document(client: LanguageClient, uri: str, version: int, text: str):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@pytest.mark.asyncio
async def test_script_fix_round_trip(client: LanguageClient):
    root: pathlib.Path = client.workspace_root
    dockerfile = (root / "Dockerfile").as_uri()
    script = (root / "entrypoint.sh").as_uri()
    open_document(client, dockerfile, DOCKERFILE, "dockerfile")
    open_document(client, script, SCRIPT, "shellscript")
    found = await diagnostics_for(client, script, lambda d: d and any(x.code == "DA102" for x in d))
    diagnostic = next(x for x in found if x.code == "DA102")
    assert diagnostic.source == "dockadvise"
    assert diagnostic.code_description.href.endswith("docs/rules/DA102.md")
    assert diagnostic.range.start.line == 3
    assert any("ENTRYPOINT runs /entrypoint.sh" in r.message for r in diagnostic.related_information)

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=script), position=types.Position(line=3, character=1))
    )
    assert "DA102" in hover.contents.value

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=script),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    fix = next(a for a in actions if a.title.startswith("Fix:"))
    (change,) = fix.edit.document_changes
    assert change.text_document.uri == script
    fixed = apply(SCRIPT, change.edits)
    assert "exec nginx" in fixed
    change_document(client, script, 2, fixed)
    await diagnostics_for(client, script, lambda d: d is not None and not any(x.code == "DA102" for x in d))
    assert (root / "entrypoint.sh").read_text() == SCRIPT, "the server never writes files"


@pytest.mark.asyncio
async def test_dockerfile_ignore_round_trip(client: LanguageClient):
    root: pathlib.Path = client.workspace_root
    (root / "shell").mkdir()
    path = root / "shell" / "Dockerfile"
    path.write_text(SHELL_FORM)
    uri = path.as_uri()
    open_document(client, uri, SHELL_FORM, "dockerfile")
    found = await diagnostics_for(client, uri, lambda d: d and any(x.code == "DA101" for x in d))
    diagnostic = next(x for x in found if x.code == "DA101")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    ignore = next(a for a in actions if a.title == "Ignore DA101 on this line")
    fixed = apply(SHELL_FORM, ignore.edit.document_changes[0].edits)
    assert "# dockadvise ignore=DA101\n" in fixed
    change_document(client, uri, 2, fixed)
    await diagnostics_for(client, uri, lambda d: d is not None and not any(x.code == "DA101" for x in d))


@pytest.mark.asyncio
async def test_fix_all_resolved_later(client: LanguageClient):
    root: pathlib.Path = client.workspace_root / "fixall"
    root.mkdir()
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / "entrypoint.sh").write_text(SCRIPT)
    dockerfile = (root / "Dockerfile").as_uri()
    script = (root / "entrypoint.sh").as_uri()
    open_document(client, dockerfile, DOCKERFILE, "dockerfile")
    await diagnostics_for(client, script, lambda d: d and any(x.code == "DA102" for x in d))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=dockerfile),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    (lazy,) = actions
    assert lazy.kind == "source.fixAll.dockadvise" and lazy.edit is None
    resolved = await client.code_action_resolve_async(lazy)
    (change,) = [c for c in resolved.edit.document_changes if c.text_document.uri == script]
    fixed = apply(SCRIPT, change.edits)
    assert "exec nginx" in fixed
    open_document(client, script, fixed, "shellscript")
    await diagnostics_for(client, script, lambda d: d is not None and not any(x.code == "DA102" for x in d))
