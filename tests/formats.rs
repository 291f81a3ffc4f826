//! Output formats: one multi-error policy set rendered in every `--format`,
//! snapshotted, and the JSON and SARIF outputs parsed back and checked.

use atom::check::check_sources;
use atom::diag::render::{render, Format};
use atom::diag::{Diagnostic, SourceMap};
use serde_json::Value;

fn multi_error_set() -> (SourceMap, Vec<Diagnostic>) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/formats");
    let mut sources = SourceMap::new();
    for name in ["broken.atom", "misplaced.atom"] {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        sources.add(format!("formats/{name}"), text);
    }
    let diagnostics = check_sources(&sources).diagnostics;
    (sources, diagnostics)
}

#[test]
fn every_format_renders_the_same_findings() {
    let (sources, diagnostics) = multi_error_set();
    assert_eq!(diagnostics.len(), 4, "{diagnostics:#?}");
    for (name, format) in Format::ALL {
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("format__{name}"), render(format, &sources, &diagnostics));
        });
    }
}

#[test]
fn json_report_parses_back() {
    let (sources, diagnostics) = multi_error_set();
    let report: Value =
        serde_json::from_str(&render(Format::Json, &sources, &diagnostics)).unwrap();
    let list = report["diagnostics"].as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(report["summary"]["errors"], 4);
    assert_eq!(report["summary"]["warnings"], 0);
    let first = &list[0];
    assert_eq!(first["code"], "A0001");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "formats/broken.atom");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(2), Some(27))
    );
    assert_eq!(
        (first["end_line"].as_u64(), first["end_column"].as_u64()),
        (Some(2), Some(35))
    );
    assert!(first["message"].as_str().unwrap().contains("expected `on`"));
    assert!(first["help"].as_str().is_some());
    for d in list {
        for key in [
            "code",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "labels",
            "help",
        ] {
            assert!(d.get(key).is_some(), "missing {key} in {d}");
        }
    }
}

#[test]
fn sarif_log_parses_back_with_rules_and_locations() {
    let (sources, diagnostics) = multi_error_set();
    let log: Value = serde_json::from_str(&render(Format::Sarif, &sources, &diagnostics)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("formats/"));
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn github_annotations_are_one_command_a_finding() {
    let (sources, diagnostics) = multi_error_set();
    let text = render(Format::Github, &sources, &diagnostics);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[0].starts_with("::error file=formats/broken.atom,line=2,col=27,"),
        "{}",
        lines[0]
    );
    assert!(lines.iter().all(|l| l.contains(",title=A0001::")));
}
