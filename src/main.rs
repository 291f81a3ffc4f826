//! The `atom` command-line tool; everything is in `atom::cli`.

fn main() -> std::process::ExitCode {
    atom::cli::main()
}
