//! README.md shows the same "Define and serve a service" program that the
//! crate docs' front page runs as a doc test, so the README's cannot rot.

/// The Rust code of the first doc test in src/lib.rs, `//! ` prefixes off.
fn crate_doc_program() -> String {
    let lib = include_str!("../src/lib.rs");
    let mut lines = lib
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .skip_while(|line| *line != "```")
        .skip(1);
    let program: Vec<&str> = lines.by_ref().take_while(|line| *line != "```").collect();
    program.join("\n")
}

#[test]
fn the_readme_program_is_the_crate_doc_example() {
    let readme = include_str!("../README.md");
    let program = crate_doc_program();
    assert!(program.contains("h2grpc::service!"), "{program}");
    assert!(
        program.lines().count() < 40,
        "the program must stay under 40 lines"
    );
    assert!(
        readme.contains(&format!("```rust\n{program}\n```")),
        "README.md's program differs from src/lib.rs's doc test"
    );
}
