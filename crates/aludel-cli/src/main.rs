//! The `aludel` command.

mod affinity;
mod cli;
mod commands;
mod context;
mod format;
mod output;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    // Lives as long as the process: the command's context logs through it.
    let out: &'static output::Output = Box::leak(Box::new(output::Output::new(cli.quiet)));
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "FAILED: cannot start the async runtime: {e}"
            );
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(commands::run(cli, out));
    // A failed write makes the command's result untrustworthy (a truncated
    // `--sql` script), so it fails the command even if all else went well.
    let written = out.finish();
    match (result, written) {
        (Err(e), _) => {
            out.error(&e.to_string());
            ExitCode::from(2)
        }
        (Ok(_), Err(failure)) => {
            out.error(&failure.to_string());
            ExitCode::from(2)
        }
        (Ok(outcome), Ok(())) => outcome.exit_code(),
    }
}

/// Ends the command the way clap would (help and version on stdout with exit
/// status 0, usage errors on stderr with 2), except that a failed write of
/// that text fails the command too: `aludel --help > /dev/full` exits 2. A
/// closed pipe (`aludel --help | head -1`) keeps clap's own status.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let printed = e.print().and_then(|()| {
        std::io::stdout().flush()?;
        std::io::stderr().flush()
    });
    match printed {
        Err(failure) if failure.kind() != std::io::ErrorKind::BrokenPipe => {
            let stream = if e.use_stderr() { "stderr" } else { "stdout" };
            let _ = writeln!(
                std::io::stderr(),
                "FAILED: cannot write to {stream}: {failure}"
            );
            ExitCode::from(2)
        }
        _ => ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2)),
    }
}
