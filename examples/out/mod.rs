//! Standard output for the examples: `outln!` and `out!` are `println!` and
//! `print!`, except that a closed pipe (`decode_atr … | head -1`) ends the
//! program quietly with status 141 instead of a panic, and any other write
//! error ends it with a message and status 1. 141 is what a shell reports for
//! a program that SIGPIPE ended (128 + 13), as it would a C tool's: the run did
//! not finish, so a script's later checks (`apdu --script`) never ran, and
//! `set -o pipefail` sees it.

use std::fmt;
use std::io::{self, Write};

/// `println!` that stops quietly when stdout is closed.
macro_rules! outln {
    () => {
        crate::out::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        crate::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that stops quietly when stdout is closed.
#[allow(unused_macros)]
macro_rules! out {
    ($($arg:tt)*) => {
        crate::out::write(format_args!($($arg)*))
    };
}

/// Exit status after a closed pipe: 128 + SIGPIPE (13), as a shell reports it.
pub const BROKEN_PIPE: i32 = 141;

/// Write `args` to stdout; exit on a closed pipe ([`BROKEN_PIPE`]) or another
/// error (1).
pub fn write(args: fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(BROKEN_PIPE);
        }
        eprintln!("cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
