//! Prints the SHA-256 of "lambda" computed by ring (C and assembly compiled for the target).
fn main() {
    let d = ring::digest::digest(&ring::digest::SHA256, b"lambda");
    let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    println!("ring sha256 {hex}");
}
