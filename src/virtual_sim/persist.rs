//! Writing the card's state back to its profile file, atomically: the new
//! text goes to a temporary file beside the profile, is flushed to disk, and
//! then renamed over it (POSIX `rename(2)` replaces the target atomically;
//! the directory is synced after). A process killed at any point leaves
//! either the old profile or the new one, never a mix; a temporary file left
//! by a killed writer is ignored by readers and overwritten by the next write.
//!
//! This implements no card specification; it is how the virtual card keeps
//! the "non-volatile memory" that TS 51.011 §9.2 and TS 102 221 §11.1 assume
//! for counters and files.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The temporary file used for `path`: `.NAME.tmp` in the same directory
/// (the same file system, so the rename is atomic) (POSIX.1-2017 rename()).
#[must_use]
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".tmp");
    path.with_file_name(name)
}

/// A new content written and synced to the temporary file, not yet in place (POSIX.1-2017 fsync(),
/// rename()).
#[derive(Debug)]
#[must_use = "a staged write does nothing until committed"]
pub struct Staged {
    temp: PathBuf,
    target: PathBuf,
}

/// First half of an atomic write: write `bytes` to the temporary file of
/// `path` and sync it (POSIX.1-2017 fsync()).
///
/// # Errors
/// The I/O error of creating, writing or syncing the temporary file.
pub fn stage(path: &Path, bytes: &[u8]) -> io::Result<Staged> {
    let temp = temp_path(path);
    let mut file = File::create(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(Staged { temp, target: path.to_path_buf() })
}

impl Staged {
    /// The temporary file holding the new content (POSIX.1-2017 rename()).
    #[must_use]
    pub fn temp(&self) -> &Path {
        &self.temp
    }

    /// Second half: rename the temporary file over the target, then sync the
    /// directory so the rename itself is durable (POSIX.1-2017 rename(), fsync()).
    ///
    /// # Errors
    /// The I/O error of the rename (the old content is then still in place).
    pub fn commit(self) -> io::Result<()> {
        fs::rename(&self.temp, &self.target)?;
        let dir = self.target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        // Syncing a directory is not possible everywhere; the rename is done either way.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Replace the content of `path` with `bytes` atomically ([`stage`], then
/// [`Staged::commit`]) (POSIX.1-2017 rename()).
///
/// # Errors
/// The I/O error of either step.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    stage(path, bytes)?.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_but_not_committed_leaves_the_old_content() {
        let dir = std::env::temp_dir().join(std::format!("simcore-persist-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("card.toml");
        write_atomic(&path, b"old").unwrap();
        let staged = stage(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read(staged.temp()).unwrap(), b"new");
        assert_eq!(staged.temp(), dir.join(".card.toml.tmp"));
        drop(staged); // a crash here: the old content stays
        assert_eq!(fs::read(&path).unwrap(), b"old");
        write_atomic(&path, b"newer").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"newer");
        assert!(!temp_path(&path).exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
