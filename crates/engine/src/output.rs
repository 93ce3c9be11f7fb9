//! Writing outputs whole or not at all: every file of a run is first written beside its
//! destination under a fresh temporary name (random, created exclusively, so a planted
//! link is never followed), and only when all of them are written are they renamed over
//! their destinations. A failure before that leaves every existing file as it was and
//! removes the temporaries.
//!
//! Two runs writing the same brand's folder at once take turns: each holds an advisory
//! lock on the folder while it writes and renames, so a folder always holds one run's
//! whole set of files, never a mix.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Temporary files are named `.playbook-<random>.tmp`.
const PREFIX: &str = ".playbook-";
const SUFFIX: &str = ".tmp";

/// A temporary this old was left by a run that was killed: no run takes so long.
const STALE: Duration = Duration::from_secs(600);

/// Writes `bytes` to `path` atomically, creating folders as needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_all(&[(path.to_path_buf(), bytes.to_vec())])
}

/// How long a run waits for another run to finish writing the same folder.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Writes every file, or none: see the module's documentation.
pub fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    write_all_waiting(files, LOCK_WAIT)
}

fn write_all_waiting(files: &[(PathBuf, Vec<u8>)], wait: Duration) -> Result<()> {
    let mut folders: Vec<&Path> = files.iter().map(|(p, _)| folder_of(p)).collect();
    folders.sort();
    folders.dedup();
    // In a fixed order, so two runs over several folders cannot wait on each other.
    let _locks = folders
        .into_iter()
        .map(|dir| lock_folder(dir, wait))
        .collect::<Result<Vec<_>>>()?;
    let mut written = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        written.push((write_temporary(path, bytes)?, path));
    }
    for (temp, path) in written {
        temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    }
    Ok(())
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn write_temporary(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = folder_of(path);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    remove_stale(dir);
    if path.is_dir() {
        return Err(Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a folder is in the way of this report",
            ),
        ));
    }
    let mut temp = tempfile::Builder::new()
        .prefix(PREFIX)
        .suffix(SUFFIX)
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    Ok(temp)
}

/// An exclusive advisory lock on the folder `dir` (created if need be), held until the
/// returned handle is dropped; waits up to `wait` for another run to release it.
fn lock_folder(dir: &Path, wait: Duration) -> Result<std::fs::File> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let handle = std::fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
    let until = std::time::Instant::now() + wait;
    loop {
        match handle.try_lock() {
            Ok(()) => return Ok(handle),
            // A file system without locks (some network mounts): write unlocked, as before.
            Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                return Ok(handle)
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(dir, e)),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < until => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::io(
                    dir,
                    std::io::Error::new(
                        std::io::ErrorKind::WouldBlock,
                        format!(
                            "another playbook run has been writing this folder for {} s; \
                             try again when it has finished",
                            wait.as_secs()
                        ),
                    ),
                ))
            }
        }
    }
}

/// Removes temporaries that a killed run left in `dir`.
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(PREFIX) && name.ends_with(SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE));
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A stable id for a thing named by `parts` (FNV-1a, 64 bits, in hex): the same parts
/// give the same id in every run.
pub fn stable_id(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_whole_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/report.md");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(names(path.parent().unwrap()), ["report.md"]);
    }

    #[test]
    fn one_file_that_cannot_be_written_leaves_every_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        std::fs::write(&a, "old").unwrap();
        let blocked = dir.path().join("b.json");
        std::fs::create_dir(&blocked).unwrap();
        let result = write_all(&[(a.clone(), b"new".to_vec()), (blocked, b"{}".to_vec())]);
        assert!(result.unwrap_err().to_string().contains("b.json"));
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["a.md", "b.json"]);
    }

    #[test]
    fn a_run_waits_for_another_writing_the_same_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("brand/report.md");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let held = std::fs::File::open(path.parent().unwrap()).unwrap();
        held.lock().unwrap();
        // Held throughout: the run gives up and says why, writing nothing.
        let e = write_all_waiting(&[(path.clone(), b"x".to_vec())], Duration::from_millis(200))
            .unwrap_err()
            .to_string();
        assert!(e.contains("another playbook run"), "{e}");
        assert!(!path.exists());
        // Released while it waits: it writes once the other run is done.
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(held);
        });
        let start = std::time::Instant::now();
        write_all_waiting(&[(path.clone(), b"y".to_vec())], Duration::from_secs(5)).unwrap();
        assert!(start.elapsed() >= Duration::from_millis(250));
        assert_eq!(std::fs::read(&path).unwrap(), b"y");
        release.join().unwrap();
    }

    #[test]
    fn a_planted_link_at_a_temporary_name_is_not_followed() {
        // Temporaries get fresh random names, created exclusively: a link planted at the
        // name the old scheme predicted (.report.md.<pid>.tmp) is left alone.
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep").unwrap();
        let planted = dir
            .path()
            .join(format!(".report.md.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_atomic(&dir.path().join("report.md"), b"report").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    }
}
