//! The README says what the binary does: its command table and exit-code
//! table match `atom --help`, and its tool-error table lists exactly the
//! codes the source uses.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use support::cli::{atom, code, text};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("the README exists")
}

/// The rows of the table between `<!-- NAME:start -->` and `<!-- NAME:end -->`,
/// as cells with the backticks of a leading code cell removed.
fn table(name: &str) -> Vec<Vec<String>> {
    let text = readme();
    let start = text
        .find(&format!("<!-- {name}:start -->"))
        .unwrap_or_else(|| panic!("the README marks its {name} table"));
    let end = text[start..].find(&format!("<!-- {name}:end -->")).unwrap() + start;
    let rows: Vec<Vec<String>> = text[start..end]
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert!(!rows.is_empty(), "the {name} table has rows");
    rows
}

/// The lines of a `Title:` section of `atom --help`, up to a blank line.
fn help_section(title: &str) -> Vec<String> {
    let out = atom(Path::new("."), &["--help"]);
    assert_eq!(code(&out), 0);
    let help = text(&out.stdout);
    let start = help
        .find(&format!("{title}:\n"))
        .unwrap_or_else(|| panic!("`atom --help` has a {title} section:\n{help}"));
    help[start + title.len() + 2..]
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_lowercase().chain(chars).collect())
}

#[test]
fn the_command_table_matches_help() {
    let from_help: Vec<(String, String)> = help_section("Commands")
        .iter()
        .filter_map(|l| {
            let (name, about) = l.split_once(' ')?;
            (name != "help").then(|| (name.to_string(), lowercase_first(about.trim())))
        })
        .collect();
    let from_readme: Vec<(String, String)> = table("commands")
        .into_iter()
        .map(|row| {
            let usage = row[0].trim_matches('`');
            let name = usage.split(' ').nth(1).unwrap_or("").to_string();
            (name, row[1].clone())
        })
        .collect();
    assert_eq!(from_readme, from_help);
}

#[test]
fn the_exit_code_table_matches_help() {
    let from_help: Vec<(String, String)> = help_section("Exit codes")
        .iter()
        .map(|l| {
            let (code, meaning) = l.split_once("  ").unwrap();
            (code.to_string(), meaning.trim().to_string())
        })
        .collect();
    let from_readme: Vec<(String, String)> = table("exit-codes")
        .into_iter()
        .map(|row| (row[0].trim_matches('`').to_string(), row[1].clone()))
        .collect();
    assert_eq!(from_readme, from_help);
}

#[test]
fn the_tool_error_table_lists_every_code_the_source_uses() {
    fn scan(dir: &Path, codes: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                scan(&path, codes);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split("\"atom::").skip(1) {
                    let code: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if piece[code.len()..].starts_with('"') {
                        codes.insert(format!("atom::{code}"));
                    }
                }
            }
        }
    }
    let mut used = BTreeSet::new();
    scan(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut used,
    );
    assert!(used.contains("atom::usage") && used.len() >= 5, "{used:?}");
    let listed: BTreeSet<String> = table("tool-errors")
        .into_iter()
        .map(|row| row[0].trim_matches('`').to_string())
        .collect();
    assert_eq!(listed, used);
}
