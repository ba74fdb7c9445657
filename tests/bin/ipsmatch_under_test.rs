//! The `ipsmatch` command, built inside the test crate so tests can run the server as a separate
//! process (and kill it) through `CARGO_BIN_EXE_ipsmatch-under-test`.

fn main() -> std::process::ExitCode {
    ipsmatch::cli::main()
}
