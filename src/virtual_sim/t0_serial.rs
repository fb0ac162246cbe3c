//! t0 (placeholder)
