//! Standard output for the examples: `outln!` and `out!` are `println!` and
//! `print!`, except that a closed pipe (`decode_atr … | head -1`) ends the
//! program quietly with status 0 instead of a panic, and any other write
//! error ends it with a message and status 1.

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

/// Write `args` to stdout; exit on a closed pipe (0) or another error (1).
pub fn write(args: fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
