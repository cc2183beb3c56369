//! Being written (widgets issue).
