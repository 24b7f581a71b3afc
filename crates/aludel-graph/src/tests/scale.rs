//! Scale tests.
