//! Generates the `bench` section (users, posts, comments) the way a user's
//! build script would.

fn main() -> Result<(), codegen::Error> {
    codegen::Config::new("sections").generate()
}
