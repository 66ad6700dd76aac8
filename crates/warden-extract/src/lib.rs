//! File bytes to text with where each piece came from.
