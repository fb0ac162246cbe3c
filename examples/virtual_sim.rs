//! Serve the virtual SIM (placeholder).
fn main() {}
