//! Persistence of the virtual card's non-volatile state (counters, codes,
//! files; TS 51.011 §9.2 and TS 102 221 §11.1 keep them across power cycles):
//! written back atomically, surviving a restart and a process killed between
//! writing the temporary file and renaming it.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::hex;
use simcore::virtual_sim::{CardProfile, VirtualSim, VirtualSimError, persist};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("simcore-vsim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_default(path: &Path) {
    std::fs::write(path, CardProfile::default().to_toml().unwrap()).unwrap();
}

fn sw(sim: &mut VirtualSim, command: &str) -> u16 {
    let response = sim.respond(&hex::decode(command).unwrap()).unwrap();
    let n = response.len();
    u16::from_be_bytes([response[n - 2], response[n - 1]])
}

const WRONG_PIN: &str = "00 20 00 01 08 30 30 30 30 FF FF FF FF";
const PIN: &str = "00 20 00 01 08 31 32 33 34 FF FF FF FF";

#[test]
fn counters_codes_and_files_survive_a_restart() {
    let dir = temp_dir("restart");
    let path = dir.join("card.toml");
    write_default(&path);
    {
        let mut card = VirtualSim::open_persistent(&path).unwrap();
        assert_eq!(sw(&mut card, WRONG_PIN), 0x63C2);
        // CHANGE PIN1 to 5555 (TS 102 221 §11.1.10) and write EF_FPLMN.
        assert_eq!(sw(&mut card, "00 24 00 01 10 31 32 33 34 FF FF FF FF 35 35 35 35 FF FF FF FF"), 0x9000);
        assert_eq!(sw(&mut card, "00 A4 08 0C 04 7F 20 6F 7B"), 0x9000);
        assert_eq!(sw(&mut card, "00 D6 00 00 03 62 F2 10"), 0x9000);
        // A read changes nothing: the file stays as written.
        let before = std::fs::read(&path).unwrap();
        assert_eq!(sw(&mut card, "00 B0 00 00 03"), 0x9000);
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert_eq!(sw(&mut card, "00 20 00 01 08 31 32 33 34 FF FF FF FF"), 0x63C2);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("attempts_left = 2"), "{text}");
    assert!(!persist::temp_path(&path).exists());
    let mut card = VirtualSim::open_persistent(&path).unwrap();
    assert_eq!(sw(&mut card, "00 20 00 01 00"), 0x63C2, "the counter survived");
    assert_eq!(sw(&mut card, "00 20 00 01 08 35 35 35 35 FF FF FF FF"), 0x9000, "the new PIN survived");
    assert_eq!(card.file(&[0x7F20, 0x6F7B]).unwrap()[..3], [0x62, 0xF2, 0x10]);
    // The same body under ADF.USIM (a link) shows it too, and is saved once.
    assert_eq!(card.file(&[0x7FFF, 0x6F7B]), card.file(&[0x7F20, 0x6F7B]));
    assert_eq!(text.matches("6F7B").count(), 1, "{text}");
    // Blocking persists too: after a restart the PIN stays blocked.
    assert_eq!(sw(&mut card, WRONG_PIN), 0x63C2);
    assert_eq!(sw(&mut card, WRONG_PIN), 0x63C1);
    assert_eq!(sw(&mut card, WRONG_PIN), 0x63C0);
    drop(card);
    let mut card = VirtualSim::open_persistent(&path).unwrap();
    assert_eq!(sw(&mut card, "00 20 00 01 08 35 35 35 35 FF FF FF FF"), 0x6983);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_named_through_a_link_is_written_back_under_its_own_key() {
    // The profile sets EF_FPLMN through ADF.USIM (7FFF); the card writes it through
    // DF_GSM, the same body. The saved profile must not keep the stale USIM entry.
    let dir = temp_dir("link");
    let path = dir.join("card.toml");
    std::fs::write(&path, "[files]\n\"7FFF/6F7B\" = \"FFFFFF FFFFFF FFFFFF FFFFFF\"\n").unwrap();
    {
        let mut card = VirtualSim::open_persistent(&path).unwrap();
        assert_eq!(sw(&mut card, PIN), 0x9000);
        assert_eq!(sw(&mut card, "00 A4 08 0C 04 7F 20 6F 7B"), 0x9000);
        assert_eq!(sw(&mut card, "00 D6 00 00 03 33 04 20"), 0x9000); // V33: 334-020
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"7FFF/6F7B\" = \"330420FFFFFFFFFFFFFFFFFF\""), "{text}");
    assert!(!text.contains("7F20/6F7B"), "{text}");
    let card = VirtualSim::open_persistent(&path).unwrap();
    assert_eq!(card.file(&[0x7F20, 0x6F7B]).unwrap()[..3], [0x33, 0x04, 0x20]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_persistent_profile_keeps_its_comments_and_layout() {
    // Only what the card changed is rewritten, in place: the counter of PIN1
    // after a wrong VERIFY (TS 102 221 §11.1.9) and EF_FPLMN after an UPDATE
    // BINARY. Every other line, comments and the untouched PIN2 included, stays
    // as the user wrote it.
    let dir = temp_dir("comments");
    let path = dir.join("card.toml");
    let original = "\
# My test card: keep this comment
spn = \"Comment Mobile\"   # shown on the phone

[codes]
# the PIN from the card's plastic
pin1 = \"1234\"  # not changed yet
pin2 = \"5678\"

[files]
# forbidden networks
\"7F20/6F7B\" = \"FFFFFF FFFFFF FFFFFF FFFFFF\" # none yet
";
    std::fs::write(&path, original).unwrap();
    {
        let mut card = VirtualSim::open_persistent(&path).unwrap();
        assert_eq!(sw(&mut card, WRONG_PIN), 0x63C2);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let changed =
        "pin1 = { value = \"1234\", attempts_left = 2, max_attempts = 3, enabled = true }  # not changed yet";
    assert_eq!(text, original.replace("pin1 = \"1234\"  # not changed yet", changed), "{text}");
    {
        let mut card = VirtualSim::open_persistent(&path).unwrap();
        assert_eq!(sw(&mut card, PIN), 0x9000);
        assert_eq!(sw(&mut card, "00 A4 08 0C 04 7F 20 6F 7B"), 0x9000);
        assert_eq!(sw(&mut card, "00 D6 00 00 03 33 04 20"), 0x9000); // V33: 334-020
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = original
        .replace(
            "pin1 = \"1234\"  # not changed yet",
            &changed.replace("attempts_left = 2", "attempts_left = 3"),
        )
        .replace("\"FFFFFF FFFFFF FFFFFF FFFFFF\" # none yet", "\"330420FFFFFFFFFFFFFFFFFF\" # none yet");
    assert_eq!(text, expected, "{text}");
    let card = VirtualSim::open_persistent(&path).unwrap();
    assert_eq!(card.file(&[0x7F20, 0x6F7B]).unwrap()[..3], [0x33, 0x04, 0x20]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn codes_written_as_tables_or_dotted_keys_are_edited_in_place() {
    // The same code in the other spellings TOML allows: a table of its own
    // (with a comment inside) and a dotted key. Only the changed counter is
    // added; the table header, its comment and its other keys stay.
    let dir = temp_dir("tables");
    let path = dir.join("card.toml");
    let original = "\
codes.pin2 = \"5678\" # dotted

[codes.pin1]
# five tries on this card
value = \"1234\"
max_attempts = 5
";
    std::fs::write(&path, original).unwrap();
    {
        let mut card = VirtualSim::open_persistent(&path).unwrap();
        assert_eq!(sw(&mut card, WRONG_PIN), 0x63C4);
        // A wrong PIN2 after selecting the USIM (key reference 81, TS 102 221 table 9.3).
        assert_eq!(sw(&mut card, "00 A4 04 0C 07 A0 00 00 00 87 10 02"), 0x9000);
        assert_eq!(sw(&mut card, "00 20 00 81 08 30 30 30 30 FF FF FF FF"), 0x63C2);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("[codes.pin1]\n# five tries on this card\nvalue = \"1234\"\nmax_attempts = 5\n"),
        "{text}"
    );
    assert!(text.contains("attempts_left = 4"), "{text}");
    assert!(text.contains("attempts_left = 2"), "{text}");
    assert!(text.contains("# dotted"), "{text}");
    let mut card = VirtualSim::open_persistent(&path).unwrap();
    assert_eq!(sw(&mut card, "00 20 00 01 00"), 0x63C4, "the counter survived");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_write_back_that_fails_undoes_the_command() {
    // The profile's directory is gone, so nothing can be written: each
    // command that changes the card fails with `Persist` and is undone, as a
    // card undoes a write its memory refuses (TS 102 221 §10.2.1.4 64 00).
    // Memory and file then agree: no attempt is spent, no PIN is verified.
    let dir = temp_dir("undo");
    let path = dir.join("card.toml");
    write_default(&path);
    let mut card = VirtualSim::open_persistent(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let wrong = card.respond(&hex::decode(WRONG_PIN).unwrap());
    assert!(
        matches!(wrong, Err(VirtualSimError::Persist { kind: std::io::ErrorKind::NotFound })),
        "{wrong:?}"
    );
    assert_eq!(sw(&mut card, "00 20 00 01 00"), 0x63C3, "the attempt was not spent");
    assert!(card.respond(&hex::decode(PIN).unwrap()).is_err());
    // Still not verified: EF_IMSI (under ADF.USIM, PIN1 to read) is refused.
    assert_eq!(sw(&mut card, "00 A4 04 0C 07 A0 00 00 00 87 10 02"), 0x9000);
    assert_eq!(sw(&mut card, "00 A4 00 0C 02 6F 07"), 0x9000);
    assert_eq!(sw(&mut card, "00 B0 00 00 09"), 0x6982);
    assert_eq!(card.write_back_failure(), [0x64, 0x00]);
    let sim =
        VirtualSim::from_profile(&CardProfile::default().with_personality(simcore::Profile::Sim)).unwrap();
    assert_eq!(sim.write_back_failure(), [0x92, 0x40]); // TS 51.011 §9.4.3
}

/// Child half of the kill tests: runs only when the parent test starts this
/// binary with `SIMCORE_PERSIST_CHILD` set.
#[test]
#[ignore = "started by the kill tests as a child process"]
fn persist_child() {
    let Ok(path) = std::env::var("SIMCORE_PERSIST_CHILD") else { return };
    let path = PathBuf::from(path);
    if std::env::var("SIMCORE_PERSIST_MODE").as_deref() == Ok("stage") {
        // Write the new state to the temporary file, then stop before the rename.
        let mut card = VirtualSim::load(&path).unwrap();
        assert_eq!(sw(&mut card, WRONG_PIN), 0x63C2);
        let text = card.current_profile().to_toml().unwrap();
        let staged = persist::stage(&path, text.as_bytes()).unwrap();
        println!("CHILD-STAGED {}", staged.temp().display());
        std::thread::sleep(Duration::from_secs(60));
        staged.commit().unwrap();
    } else {
        // Change the state as fast as possible until killed.
        let mut card = VirtualSim::open_persistent(&path).unwrap();
        // A killed predecessor may have left one wrong attempt: start from 3.
        assert_eq!(sw(&mut card, PIN), 0x9000);
        println!("CHILD-RUNNING");
        loop {
            assert_eq!(sw(&mut card, WRONG_PIN), 0x63C2);
            assert_eq!(sw(&mut card, PIN), 0x9000);
        }
    }
}

fn spawn_child(path: &Path, mode: &str) -> (std::process::Child, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "persist_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env("SIMCORE_PERSIST_CHILD", path)
        .env("SIMCORE_PERSIST_MODE", mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // libtest prints "test persist_child ... " before the child's own output.
    let first = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.find("CHILD-").map(|at| l[at..].to_string()))
        .expect("child reported nothing");
    (child, first)
}

#[test]
fn killed_between_write_and_rename() {
    let dir = temp_dir("kill-staged");
    let path = dir.join("card.toml");
    write_default(&path);
    let old = std::fs::read(&path).unwrap();
    let (mut child, line) = spawn_child(&path, "stage");
    assert!(line.starts_with("CHILD-STAGED"), "{line}");
    child.kill().unwrap(); // SIGKILL: no destructor, no commit
    child.wait().unwrap();
    // The profile is the old one, whole; the temporary file holds the lost write.
    assert_eq!(std::fs::read(&path).unwrap(), old);
    let temp = persist::temp_path(&path);
    assert!(std::fs::read_to_string(&temp).unwrap().contains("attempts_left = 2"));
    let mut card = VirtualSim::open_persistent(&path).unwrap();
    assert_eq!(sw(&mut card, "00 20 00 01 00"), 0x63C3, "the unrenamed write is not seen");
    // The next write goes through and replaces the stale temporary file.
    assert_eq!(sw(&mut card, WRONG_PIN), 0x63C2);
    assert!(!temp.exists());
    let mut again = VirtualSim::open_persistent(&path).unwrap();
    assert_eq!(sw(&mut again, "00 20 00 01 00"), 0x63C2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn killed_at_any_moment_leaves_a_readable_card() {
    let dir = temp_dir("kill-loop");
    let path = dir.join("card.toml");
    write_default(&path);
    for delay_ms in [5, 20, 45] {
        let (mut child, line) = spawn_child(&path, "loop");
        assert_eq!(line, "CHILD-RUNNING");
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        // Old or new state, never a torn file: it loads, and PIN1 is either
        // fully restored (3) or just missed once (2).
        let mut card = VirtualSim::load(&path).unwrap();
        let left = sw(&mut card, "00 20 00 01 00");
        assert!(left == 0x63C3 || left == 0x63C2, "{left:04X}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
