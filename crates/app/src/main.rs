//! The standalone vmbackup SPA, built with Trunk (widgets issue).

fn main() {}
