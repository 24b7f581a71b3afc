//! Revision graph.
