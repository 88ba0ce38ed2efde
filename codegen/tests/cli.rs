//! The `codegen` command as a shell runs it.

use std::process::{Command, Stdio};

/// `codegen print | head`: the reader goes away after the first lines; the
/// command stops quietly instead of panicking on the broken pipe.
#[test]
fn print_into_a_closed_pipe_exits_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["--sections", "../sections", "print"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run codegen");
    // Close the read end before the command writes: every write fails
    // with EPIPE, as after `head` exits.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("codegen ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "status {:?}, stderr: {stderr}",
        out.status
    );
    assert!(stderr.is_empty(), "nothing on stderr, got: {stderr}");
}
