// Starts `atom lsp` for .atom files (the path is the `atom.path` setting;
// `atom.ruleDocs` is passed on so that diagnostic codes link to their docs).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("atom");
  const command = config.get("path", "atom");
  const ruleDocs = config.get("ruleDocs", "");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "atom",
    "Atom policies",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "atom" }],
      initializationOptions: ruleDocs ? { ruleDocs } : {},
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
