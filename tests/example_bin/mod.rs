//! Finding and running the example binaries from the tests that run them as a
//! user would (tests/examples_card.rs, tests/atr_example.rs, tests/pcsc.rs).
//! `cargo test` builds the examples before it runs the tests; they sit next to
//! the test's own executable, in target/<profile>/examples.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The example binary `name`; `None` (the test skips) when it was not built,
/// which fails under `SIMCORE_CI`.
pub fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().unwrap();
    let path =
        exe.parent()?.parent()?.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("SIMCORE_CI").is_none(),
        "{} missing: cargo test builds examples",
        path.display()
    );
    println!("skipped: {} not built (run `cargo test`, which builds the examples)", path.display());
    None
}

/// Run example `name` with `args` and the environment `env` (the codes'
/// variables are cleared otherwise), stdin closed; `None` when not built.
pub fn run(name: &str, args: &[&str], env: &[(&str, &str)]) -> Option<Output> {
    let mut command = Command::new(example(name)?);
    command.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for var in ["SIMCORE_PIN", "SIMCORE_NEW_PIN", "SIMCORE_PUK"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    Some(command.output().unwrap())
}
