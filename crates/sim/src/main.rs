//! vmbackup-sim: a simulator of the Storware REST API (simulator issue).

fn main() {
    eprintln!("vmbackup-sim: the simulator arrives with its own issue; nothing to serve yet");
    std::process::exit(2);
}
