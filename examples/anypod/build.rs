fn main() {
    // embed_migrations! reads migrations/versions/ at compile time; rebuild
    // when a revision file is added or removed, not only when one changes.
    println!("cargo:rerun-if-changed=migrations");
}
