// Starts `atom lsp` for .atom files (the path is the `atom.path` setting).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("atom").get("path", "atom");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "atom",
    "Atom policies",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "atom" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
