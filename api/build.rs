// The migrations are embedded in the binary (api/src/db/migrations.rs): rebuild when one is added
// or changed, not only when a Rust file is.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
