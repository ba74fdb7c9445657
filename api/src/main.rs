//! The `ipsmatch` binary: see `ipsmatch --help`.

fn main() -> std::process::ExitCode {
    ipsmatch::cli::main()
}
