//! vpcd (placeholder)
