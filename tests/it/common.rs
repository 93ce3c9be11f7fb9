//! Helpers for tests that run the real binary.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

pub fn example(name: &str) -> PathBuf {
    root().join("examples/brands").join(format!("{name}.yaml"))
}

/// Runs `playbook` with `args` from `dir`.
pub fn playbook_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the playbook binary runs")
}

pub fn playbook(args: &[&str]) -> Output {
    playbook_in(&root(), args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The report JSON for one playbook, printed to standard output.
pub fn report_json(id: &str, brand: &Path, lang: &str) -> serde_json::Value {
    let out = playbook(&[
        "run",
        id,
        "--brand",
        brand.to_str().unwrap(),
        "--lang",
        lang,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// The report item with this id; panics naming it when absent.
pub fn item<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item `{id}` in {}", report["items"]))
}

pub fn has_item(report: &serde_json::Value, id: &str) -> bool {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["id"] == id)
}

pub fn status<'a>(report: &'a serde_json::Value, id: &str) -> &'a str {
    item(report, id)["status"].as_str().expect("a status")
}

pub fn why<'a>(report: &'a serde_json::Value, id: &str) -> &'a str {
    item(report, id)["why"].as_str().expect("a why")
}

/// The report's `needs`, as text.
pub fn needs(report: &serde_json::Value) -> Vec<&str> {
    report["needs"]
        .as_array()
        .expect("needs")
        .iter()
        .map(|n| n.as_str().expect("a field"))
        .collect()
}

/// Runs playbook `id` on an example brand into `out` as Markdown and returns the text.
pub fn example_markdown(id: &str, brand: &str, lang: &str, out: &Path) -> String {
    let run = playbook(&[
        "run",
        id,
        "--brand",
        example(brand).to_str().unwrap(),
        "--lang",
        lang,
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    std::fs::read_to_string(out.join(format!("{brand}/{id}.{lang}.md"))).expect("the Markdown")
}

/// A scorecard's dimension ids and scores, in order.
pub fn dimension_scores(report: &serde_json::Value) -> Vec<(String, i64)> {
    report["scorecard"]["dimensions"]
        .as_array()
        .expect("a scorecard")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["score"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Runs the binary on a pseudo-terminal; for each step waits until `expect` appears in
/// what it printed (after the previous match), then types `answer` and Enter.
const DRIVER: &str = r#"
import json, os, pty, select, subprocess, sys, time
cfg = json.load(sys.stdin)
master, slave = pty.openpty()
env = dict(os.environ)
for key, value in cfg["env"].items():
    if value is None:
        env.pop(key, None)
    else:
        env[key] = value
proc = subprocess.Popen(cfg["argv"], cwd=cfg["cwd"], stdin=slave, stdout=slave,
                        stderr=slave, env=env)
os.close(slave)
buf = b""
def read_some(timeout):
    global buf
    r, _, _ = select.select([master], [], [], max(timeout, 0))
    if not r:
        return False
    try:
        data = os.read(master, 4096)
    except OSError:
        return None
    if not data:
        return None
    buf += data
    return True
pos = 0
for expect, answer in cfg["steps"]:
    want = expect.encode()
    deadline = time.time() + 20
    while buf.find(want, pos) < 0:
        if read_some(deadline - time.time()) is not True:
            proc.kill()
            json.dump({"ok": False, "waiting_for": expect,
                       "transcript": buf.decode(errors="replace")}, sys.stdout)
            sys.exit(0)
    pos = buf.find(want, pos) + len(want)
    os.write(master, answer.encode())
while read_some(20):
    pass
code = proc.wait(timeout=20)
json.dump({"ok": True, "code": code, "transcript": buf.decode(errors="replace")}, sys.stdout)
"#;

pub struct Session {
    pub code: i32,
    pub transcript: String,
}

/// `steps`: (text to wait for, line to type without its Enter). `NO_COLOR` is set.
pub fn on_terminal(dir: &Path, args: &[&str], steps: &[(&str, &str)]) -> Session {
    on_terminal_with(dir, args, steps, &[("NO_COLOR", Some("1"))])
}

/// As [`on_terminal`], with environment changes: `(name, None)` removes a variable.
pub fn on_terminal_with(
    dir: &Path,
    args: &[&str],
    steps: &[(&str, &str)],
    env: &[(&str, Option<&str>)],
) -> Session {
    let mut argv = vec![env!("CARGO_BIN_EXE_playbook").to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let steps: Vec<(String, String)> = steps
        .iter()
        .map(|(e, a)| {
            // A lone "\u{4}" is Ctrl-D: typed as is, without Enter.
            let typed = if *a == "\u{4}" {
                a.to_string()
            } else {
                format!("{a}\n")
            };
            (e.to_string(), typed)
        })
        .collect();
    let env: serde_json::Map<String, serde_json::Value> = env
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                v.map_or(serde_json::Value::Null, |v| v.into()),
            )
        })
        .collect();
    let cfg = serde_json::json!({"argv": argv, "cwd": dir, "steps": steps, "env": env});
    let mut child = Command::new("python3")
        .args(["-c", DRIVER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("python3 is needed to drive a terminal ({e}); .ci/run installs it")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(cfg.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "driver failed: {}", stderr(&out));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let transcript = result["transcript"].as_str().unwrap_or("").to_string();
    assert!(
        result["ok"] == true,
        "never saw {:?}; the terminal showed:\n{transcript}",
        result["waiting_for"]
    );
    Session {
        code: result["code"].as_i64().unwrap() as i32,
        transcript,
    }
}

/// The bundled playbooks and templates, loaded as the binary loads them.
pub fn library() -> playbook_engine::library::Library {
    let bundle = playbook_engine::library::Bundle {
        playbooks: playbook_bundled::PLAYBOOKS,
        templates: playbook_bundled::TEMPLATES,
    };
    playbook_engine::library::Library::bundled(&bundle).expect("the bundled playbooks load")
}

/// Every file under `dir`, at any depth.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
