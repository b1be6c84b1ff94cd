//! Prints the SHA-256 of "lambda" computed by AWS-LC (aws-lc-sys: C compiled for the target).
fn main() {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, b"lambda");
    let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    println!("aws-lc sha256 {hex}");
}
