//! Signed rule bundles.
