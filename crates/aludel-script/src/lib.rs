//! Revision file format.
