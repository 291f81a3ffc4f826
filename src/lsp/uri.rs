//! LSP: documents and files; `file:` URIs to the workspace's file names and back, and the client's root folder.

use std::path::{Path, PathBuf};

use lsp_types::{InitializeParams, Uri};

/// The folder the client opened: its first workspace folder, else its root URI.
pub fn root(init: &InitializeParams) -> Option<PathBuf> {
    let folder = init
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone());
    #[allow(deprecated)] // `root_uri` is still what many clients send
    let uri = folder.or_else(|| init.root_uri.clone())?;
    path_of(&uri)
}

/// The local path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The workspace name of a document: its path, or the URI itself.
pub fn name_of(uri: &Uri) -> String {
    path_of(uri).map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string())
}

/// The URI of a workspace name.
pub fn uri_of(name: &str) -> Option<Uri> {
    let text = match url::Url::from_file_path(name) {
        Ok(url) => url.to_string(),
        Err(()) => name.to_string(),
    };
    text.parse().ok()
}

/// A path made absolute against the current folder, as the client names files.
pub fn absolute(name: &str) -> String {
    let path = Path::new(name);
    if path.is_absolute() {
        return name.to_string();
    }
    std::env::current_dir()
        .map(|d| d.join(path).display().to_string())
        .unwrap_or_else(|_| name.to_string())
}
