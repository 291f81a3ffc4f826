//! CLI: a progress spinner on stderr for long work, shown only to a person at a terminal.
//!
//! The spinner appears once the work has taken a second, on stderr, and
//! only when stderr is a terminal and the run is not in CI (`CI` set);
//! `ATOM_PROGRESS=never` turns it off. Piped output and CI logs never see
//! it. It is cleared when the work ends.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before the spinner shows.
const DELAY: Duration = Duration::from_secs(1);

/// A spinner for one piece of work; cleared when dropped.
pub struct Progress {
    bar: Option<ProgressBar>,
}

/// Whether a spinner may show: `ATOM_PROGRESS` (`never` turns it off), a
/// terminal on stderr, and not in CI.
fn enabled(setting: Option<&str>, terminal: bool, ci: bool) -> bool {
    setting != Some("never") && terminal && !ci
}

impl Progress {
    /// Starts timing `message`; the spinner shows after [`DELAY`].
    pub fn start(message: &str) -> Progress {
        let setting = std::env::var("ATOM_PROGRESS").ok();
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        if !enabled(setting.as_deref(), std::io::stderr().is_terminal(), ci) {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        let later = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            if !later.is_finished() {
                later.set_draw_target(ProgressDrawTarget::stderr());
                later.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// Says what the work is doing now.
    pub fn stage(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::enabled;

    #[test]
    fn only_a_terminal_outside_ci_sees_progress() {
        assert!(enabled(None, true, false));
        assert!(!enabled(None, false, false), "piped stderr");
        assert!(!enabled(None, true, true), "CI logs");
        assert!(!enabled(Some("never"), true, false));
    }
}
